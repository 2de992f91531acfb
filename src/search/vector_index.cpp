#include "search/vector_index.hpp"

#include <hnswlib/hnswlib.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <system_error>
#include <thread>
#include <unordered_set>

namespace hark::search {
namespace fs = std::filesystem;

namespace {

constexpr int kFormat = 1;

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// FNV-1a over the whole file, nullopt when it cannot be read. Words: over its 8-byte words
// (host order, as hnswlib writes the file; the last < 8 bytes one by one), written since
// metadata key "fnv1a64w" — 5x faster than byte by byte (0.6 s instead of 3.1 s for the 2 GB
// index of 1.2 M vectors), which every open pays. Bytes: files written before ("fnv1a64").
enum class Checksum { Bytes, Words };

std::optional<std::uint64_t> checksum_file(const fs::path& path, Checksum kind) {
  constexpr std::uint64_t kPrime = 1099511628211ULL;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::uint64_t h = 1469598103934665603ULL;
  std::vector<char> buf(1 << 20);  // a multiple of 8: words never straddle two reads
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    std::size_t i = 0;
    if (kind == Checksum::Words) {
      for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, buf.data() + i, sizeof word);
        h ^= word;
        h *= kPrime;
      }
    }
    for (; i < n; ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= kPrime;
    }
  }
  return h;
}

fs::path meta_path(const fs::path& path) {
  return fs::path(path.string() + ".json");
}

}  // namespace

struct VectorIndex::Impl {
  explicit Impl(int dims) : space(static_cast<std::size_t>(dims)) {}
  hnswlib::InnerProductSpace space;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> hnsw;
};

bool normalize(std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (!(sum > 0) || !std::isfinite(sum)) return false;
  const auto inv = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : v) x *= inv;
  return true;
}

VectorIndex::VectorIndex(std::string model, int dims, HnswOptions options,
                         std::unique_ptr<Impl> impl)
    : model_(std::move(model)), dims_(dims), options_(options), impl_(std::move(impl)) {}

VectorIndex::~VectorIndex() = default;

Result<std::unique_ptr<VectorIndex>> VectorIndex::create(const std::string& model, int dims,
                                                         HnswOptions options) {
  if (dims < 1) return invalid_input("a vector index needs at least one dimension");
  if (model.empty()) return invalid_input("a vector index needs the embedding model's name");
  auto impl = std::make_unique<Impl>(dims);
  try {
    impl->hnsw = std::make_unique<hnswlib::HierarchicalNSW<float>>(
        &impl->space, 1024, static_cast<std::size_t>(options.m),
        static_cast<std::size_t>(options.ef_construction));
  } catch (const std::exception& e) {
    return internal_error(std::string("cannot create the vector index: ") + e.what());
  }
  return std::unique_ptr<VectorIndex>(new VectorIndex(model, dims, options, std::move(impl)));
}

Result<VectorIndex::Opened> VectorIndex::open(const fs::path& path, const std::string& model,
                                              int dims, HnswOptions options) {
  auto created = create(model, dims, options);
  if (!created) return created.error();
  Opened out{std::move(*created), ""};
  out.index->path_ = path;
  std::error_code ec;
  if (!fs::exists(path, ec) || !fs::exists(meta_path(path), ec)) {
    out.rebuild_reason = "the vector index " + path.string() + " is missing";
    return out;
  }
  nlohmann::json meta;
  {
    std::ifstream in(meta_path(path));
    meta = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  }
  const auto damaged = [&](const std::string& why) {
    out.rebuild_reason = "the vector index " + path.string() + " is damaged (" + why + ")";
    return std::move(out);
  };
  const bool words = meta.is_object() && meta.contains("fnv1a64w");
  const char* const checksum_key = words ? "fnv1a64w" : "fnv1a64";
  if (!meta.is_object() || meta.value("format", 0) != kFormat || !meta["model"].is_string() ||
      !meta["dims"].is_number_integer() || !meta["bytes"].is_number_integer() ||
      !meta.contains(checksum_key) || !meta[checksum_key].is_string())
    return damaged("its metadata is unreadable");
  const auto stored_model = meta["model"].get<std::string>();
  const int stored_dims = meta["dims"].get<int>();
  if (stored_model != model || stored_dims != dims) {
    out.rebuild_reason = "the embedding model changed from " + stored_model + " (" +
                         std::to_string(stored_dims) + " dimensions) to " + model + " (" +
                         std::to_string(dims) + ")";
    return out;
  }
  const auto size = fs::file_size(path, ec);
  if (ec || size != meta["bytes"].get<std::uint64_t>()) return damaged("its size is wrong");
  const auto sum = checksum_file(path, words ? Checksum::Words : Checksum::Bytes);
  if (!sum || hex64(*sum) != meta[checksum_key].get<std::string>())
    return damaged("its checksum does not match");
  try {
    out.index->impl_->hnsw =
        std::make_unique<hnswlib::HierarchicalNSW<float>>(&out.index->impl_->space, path.string());
  } catch (const std::exception& e) {
    auto fresh = create(model, dims, options);
    if (!fresh) return fresh.error();
    out.index = std::move(*fresh);
    out.index->path_ = path;
    return damaged(e.what());
  }
  return out;
}

Status VectorIndex::reserve_locked(std::size_t extra) {
  auto& h = *impl_->hnsw;
  const std::size_t need = h.cur_element_count + extra;
  if (need <= h.max_elements_) return ok();
  try {
    h.resizeIndex(std::max(need, h.max_elements_ * 2));
  } catch (const std::exception& e) {
    return unavailable(std::string("cannot grow the vector index: ") + e.what());
  }
  return ok();
}

Status VectorIndex::add(Id id, const std::vector<float>& vector) {
  return add_all({{id, vector}});
}

Status VectorIndex::add_all(const std::vector<std::pair<Id, std::vector<float>>>& items) {
  std::vector<std::vector<float>> normalized;
  normalized.reserve(items.size());
  for (const auto& [id, v] : items) {
    if (static_cast<int>(v.size()) != dims_)
      return invalid_input("the vector of " + std::to_string(id) + " has " +
                           std::to_string(v.size()) + " dimensions; the index has " +
                           std::to_string(dims_));
    normalized.push_back(v);
    if (!normalize(normalized.back()))
      return invalid_input("the vector of " + std::to_string(id) + " has no length");
  }
  std::unique_lock lock(mutex_);
  HARK_TRY(reserve_locked(items.size()));
  // hnswlib inserts distinct labels concurrently (per-node locks), so a big batch (a rebuild)
  // is spread over the cores; ids in one batch are distinct (the store's passage ids).
  std::unordered_set<Id> distinct;
  for (const auto& item : items) distinct.insert(item.first);
  const std::size_t threads =
      distinct.size() == items.size() && items.size() >= 1024
          ? std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), 8)
          : 1;
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::string error;
  auto work = [&] {
    for (std::size_t i = next++; i < items.size(); i = next++) {
      try {
        impl_->hnsw->addPoint(normalized[i].data(),
                              static_cast<hnswlib::labeltype>(items[i].first));
      } catch (const std::exception& e) {
        std::lock_guard guard(error_mutex);
        if (error.empty()) error = e.what();
        next = items.size();
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (!error.empty()) return internal_error("cannot add to the vector index: " + error);
  return ok();
}

void VectorIndex::remove(Id id) {
  std::unique_lock lock(mutex_);
  auto& h = *impl_->hnsw;
  const auto found = h.label_lookup_.find(static_cast<hnswlib::labeltype>(id));
  if (found == h.label_lookup_.end() || h.isMarkedDeleted(found->second)) return;
  h.markDelete(static_cast<hnswlib::labeltype>(id));
}

std::vector<Id> VectorIndex::ids() const {
  std::shared_lock lock(mutex_);
  const auto& h = *impl_->hnsw;
  std::vector<Id> out;
  out.reserve(h.label_lookup_.size());
  for (const auto& [label, internal] : h.label_lookup_) {
    if (!h.isMarkedDeleted(internal)) out.push_back(static_cast<Id>(label));
  }
  return out;
}

std::size_t VectorIndex::size() const {
  std::shared_lock lock(mutex_);
  const auto& h = *impl_->hnsw;
  std::size_t n = 0;
  for (const auto& [label, internal] : h.label_lookup_) n += h.isMarkedDeleted(internal) ? 0 : 1;
  return n;
}

bool VectorIndex::contains(Id id) const {
  std::shared_lock lock(mutex_);
  const auto& h = *impl_->hnsw;
  const auto found = h.label_lookup_.find(static_cast<hnswlib::labeltype>(id));
  return found != h.label_lookup_.end() && !h.isMarkedDeleted(found->second);
}

Result<std::vector<VectorHit>> VectorIndex::search(const std::vector<float>& query, int k,
                                                   int ef) const {
  if (static_cast<int>(query.size()) != dims_)
    return invalid_input("the query vector has " + std::to_string(query.size()) +
                         " dimensions; the index has " + std::to_string(dims_));
  auto q = query;
  if (!normalize(q)) return invalid_input("the query vector has no length");
  std::vector<VectorHit> hits;
  std::shared_lock lock(mutex_);
  auto& h = *impl_->hnsw;
  if (k < 1 || h.cur_element_count == 0) return hits;
  try {
    // hnswlib searches with max(its ef, k) candidates and keeps the k best. Its ef is one
    // shared field, so it is left at hnswlib's 10 and each query asks for max(k, ef) and
    // keeps its k: the same search with this query's ef, and no shared state written.
    const int candidates = std::max(k, ef > 0 ? ef : options_.ef_search);
    auto result = h.searchKnn(q.data(), static_cast<std::size_t>(candidates));
    while (result.size() > static_cast<std::size_t>(k)) result.pop();  // the worst first
    hits.resize(result.size());
    for (std::size_t i = result.size(); i-- > 0;) {
      hits[i] = VectorHit{static_cast<Id>(result.top().second), 1.0f - result.top().first};
      result.pop();
    }
  } catch (const std::exception& e) {
    return internal_error(std::string("vector search failed: ") + e.what());
  }
  return hits;
}

Status VectorIndex::save_as(const fs::path& path) {
  {
    std::unique_lock lock(mutex_);
    path_ = path;
  }
  return save();
}

Status VectorIndex::save() const {
  if (path_.empty()) return invalid_input("this vector index has no file");
  std::unique_lock lock(mutex_);
  std::error_code ec;
  fs::create_directories(path_.parent_path(), ec);
  const fs::path tmp = path_.string() + ".tmp";
  const fs::path meta_tmp = meta_path(path_).string() + ".tmp";
  try {
    impl_->hnsw->saveIndex(tmp.string());
  } catch (const std::exception& e) {
    return unavailable("cannot write " + tmp.string() + ": " + e.what());
  }
  const auto bytes = fs::file_size(tmp, ec);
  const auto sum = checksum_file(tmp, Checksum::Words);
  if (ec || !sum) return unavailable("cannot read back " + tmp.string());
  std::size_t count = 0;
  for (const auto& [label, internal] : impl_->hnsw->label_lookup_)
    count += impl_->hnsw->isMarkedDeleted(internal) ? 0 : 1;
  const nlohmann::json meta = {{"format", kFormat}, {"model", model_}, {"dims", dims_},
                               {"count", count},    {"bytes", bytes},  {"fnv1a64w", hex64(*sum)}};
  {
    std::ofstream out(meta_tmp, std::ios::trunc);
    out << meta.dump(2) << "\n";
    if (!out) return unavailable("cannot write " + meta_tmp.string());
  }
  // The index first, then its metadata: a crash in between leaves metadata that does not
  // match the file, which open() treats as damaged and rebuilds.
  fs::rename(tmp, path_, ec);
  if (ec) return unavailable("cannot replace " + path_.string() + ": " + ec.message());
  fs::rename(meta_tmp, meta_path(path_), ec);
  if (ec) return unavailable("cannot replace " + meta_path(path_).string() + ": " + ec.message());
  return ok();
}

}  // namespace hark::search
