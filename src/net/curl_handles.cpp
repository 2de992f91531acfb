#include "net/curl_handles.hpp"

#include <stdexcept>

namespace hark::net::detail {
namespace {
// Enough idle handles for a refresh running on many worker threads; more would only
// hold idle connections open.
constexpr std::size_t kMaxIdleHandles = 32;
}  // namespace

void ensure_curl_global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("curl_global_init failed");
  });
}

EasyPool::EasyPool() {
  ensure_curl_global_init();
  share_.reset(curl_share_init());
  if (!share_) throw std::bad_alloc();
  curl_share_setopt(share_.get(), CURLSHOPT_LOCKFUNC, &EasyPool::lock);
  curl_share_setopt(share_.get(), CURLSHOPT_UNLOCKFUNC, &EasyPool::unlock);
  curl_share_setopt(share_.get(), CURLSHOPT_USERDATA, this);
  curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

EasyPool::~EasyPool() {
  // Handles must be gone before the share they use.
  std::lock_guard lock(mutex_);
  idle_.clear();
}

EasyPtr EasyPool::acquire() {
  EasyPtr handle;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      handle = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!handle) handle.reset(curl_easy_init());
  if (handle) curl_easy_setopt(handle.get(), CURLOPT_SHARE, share_.get());
  return handle;
}

void EasyPool::release(EasyPtr handle) {
  if (!handle) return;
  // Clears every option, so an idle handle holds no pointers into a finished request's
  // stack frame, but keeps the connection cache and the loaded CA store.
  curl_easy_reset(handle.get());
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(handle));
}

void EasyPool::lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  static_cast<EasyPool*>(self)->share_locks_[static_cast<std::size_t>(data)].lock();
}

void EasyPool::unlock(CURL*, curl_lock_data data, void* self) {
  static_cast<EasyPool*>(self)->share_locks_[static_cast<std::size_t>(data)].unlock();
}

}  // namespace hark::net::detail
