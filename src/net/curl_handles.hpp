// RAII ownership of libcurl handles and a thread-safe pool of easy handles. Internal to
// the net module.
#pragma once

#include <curl/curl.h>

#include <array>
#include <memory>
#include <mutex>
#include <vector>

namespace hark::net::detail {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// Calls curl_global_init() exactly once per process, from whichever thread gets there
// first (it is not thread-safe itself in older libcurl releases).
void ensure_curl_global_init();

// A pool of easy handles sharing one DNS cache and TLS session cache. A handle keeps its
// own connection cache across uses, so serial requests to the same host reuse the
// connection, and its CA store stays loaded. Thread-safe.
class EasyPool {
 public:
  EasyPool();
  ~EasyPool();
  EasyPool(const EasyPool&) = delete;
  EasyPool& operator=(const EasyPool&) = delete;

  // A handle with default options plus the shared caches; nullptr only if out of memory.
  EasyPtr acquire();
  // Returns a handle for reuse (dropped if the pool already holds enough idle handles).
  void release(EasyPtr handle);

 private:
  struct ShareDeleter {
    void operator()(CURLSH* share) const { curl_share_cleanup(share); }
  };
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self);
  static void unlock(CURL*, curl_lock_data data, void* self);

  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks_;
  std::unique_ptr<CURLSH, ShareDeleter> share_;  // destroyed after idle_ (declared first)
  std::mutex mutex_;
  std::vector<EasyPtr> idle_;  // guarded by mutex_
};

// Borrows a handle from a pool for one scope.
class EasyLease {
 public:
  explicit EasyLease(EasyPool& pool) : pool_(pool), handle_(pool.acquire()) {}
  ~EasyLease() { pool_.release(std::move(handle_)); }
  EasyLease(const EasyLease&) = delete;
  EasyLease& operator=(const EasyLease&) = delete;
  CURL* get() const { return handle_.get(); }

 private:
  EasyPool& pool_;
  EasyPtr handle_;
};

}  // namespace hark::net::detail
