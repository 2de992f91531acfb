// The HNSW vector index of passage embeddings (hnswlib), kept as a file in the data
// directory. It is a cache: the store holds every vector, so a missing, damaged or
// out-of-date file is rebuilt from it (see app/search.cpp), never trusted blindly.
//
// Files: <path> (hnswlib's own format) and <path>.json (format, model, dims, count, size and
// an FNV-1a 64 checksum of the index file: over its 8-byte words, "fnv1a64w"; files written
// before carry one over its bytes, "fnv1a64", still read). The checksum is verified before hnswlib
// reads the file, because hnswlib trusts the bytes it loads. Vectors are L2-normalised on the way
// in; similarity is the inner product (cosine), in [-1, 1].
//
// Thread-safety: safe from many threads at once (a reader-writer lock: searches share it,
// adds, deletes and saves take it alone).
#pragma once

#include <filesystem>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/result.hpp"

namespace hark::search {

struct VectorHit {
  Id id = 0;
  float similarity = 0;  // cosine similarity
};

struct HnswOptions {
  int m = 16;                 // links per node
  int ef_construction = 200;  // candidate list while inserting
  // Candidate list while searching (at least k): recall against time. On 1.2 M clustered
  // vectors (bench/search, docs/PERFORMANCE.md) recall@10 is 0.945 at 96, 0.958 at 128 and
  // 0.979 at 192 for 0.06 ms more a query. A query-time setting: changing it needs no rebuild.
  int ef_search = kDefaultEfSearch;
  static constexpr int kDefaultEfSearch = 192;
};

class VectorIndex {
 public:
  // What open() found on disk.
  struct Opened {
    std::unique_ptr<VectorIndex> index;
    // "" when the file was loaded; otherwise why the index starts empty (missing file, damaged
    // file, a different model or dimension): say it, then refill it from the store.
    std::string rebuild_reason;
  };

  // Loads the index at `path` when its metadata names `model` and `dims` and its checksum
  // matches; otherwise returns an empty index and the reason. Errors only for invalid
  // arguments (dims < 1, empty model).
  static Result<Opened> open(const std::filesystem::path& path, const std::string& model, int dims,
                             HnswOptions options = {});
  // An empty index that is saved nowhere until save_as(); for benchmarks and tests.
  static Result<std::unique_ptr<VectorIndex>> create(const std::string& model, int dims,
                                                     HnswOptions options = {});
  ~VectorIndex();
  VectorIndex(const VectorIndex&) = delete;
  VectorIndex& operator=(const VectorIndex&) = delete;

  // Adds or replaces the vector of `id` (also one deleted before). InvalidInput for a vector
  // of the wrong dimension or with no length.
  Status add(Id id, const std::vector<float>& vector);
  // Adds many at once (the capacity grows once).
  Status add_all(const std::vector<std::pair<Id, std::vector<float>>>& items);
  // Marks `id` deleted; it is never returned again. Unknown ids are ignored.
  void remove(Id id);
  // The ids in the index that are not deleted.
  [[nodiscard]] std::vector<Id> ids() const;
  [[nodiscard]] std::size_t size() const;  // not deleted
  [[nodiscard]] bool contains(Id id) const;

  // The `k` nearest to `query` (normalised here), most similar first, searching with a
  // candidate list of max(k, ef) — `ef` 0: the options' ef_search.
  Result<std::vector<VectorHit>> search(const std::vector<float>& query, int k, int ef = 0) const;

  // Writes the index and its metadata atomically (temporary files, then rename) to the path
  // it was opened with. Unavailable when the disk refuses.
  Status save() const;
  Status save_as(const std::filesystem::path& path);

  [[nodiscard]] const std::string& model() const { return model_; }
  [[nodiscard]] int dims() const { return dims_; }

 private:
  struct Impl;
  VectorIndex(std::string model, int dims, HnswOptions options, std::unique_ptr<Impl> impl);
  Status reserve_locked(std::size_t extra);

  std::filesystem::path path_;
  std::string model_;
  int dims_;
  HnswOptions options_;
  mutable std::shared_mutex mutex_;
  std::unique_ptr<Impl> impl_;  // guarded by mutex_
};

// L2-normalises `v` in place; false when it has no length (all zeros) or is not finite.
bool normalize(std::vector<float>& v);

}  // namespace hark::search
