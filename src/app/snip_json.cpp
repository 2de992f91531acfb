#include "app/snip_json.hpp"

namespace hark::app {

nlohmann::json snip_json(const store::Snip& s) {
  using Json = nlohmann::json;
  return {{"id", s.id},
          {"episode_id", s.episode_id},
          {"start_ms", s.start_ms},
          {"end_ms", s.end_ms},
          {"tap_ms", s.tap_ms ? Json(*s.tap_ms) : Json(nullptr)},
          {"title", s.title},
          {"summary", s.summary},
          {"takeaways", s.takeaways},
          {"quote", s.quote},
          {"quote_speaker", s.quote_speaker},
          {"speakers", s.speakers},
          {"engine", s.engine},
          {"fallback_reason", s.fallback_reason},
          {"note", s.note},
          {"share_id", s.share_id ? Json(*s.share_id) : Json(nullptr)},
          {"share_url", s.share_id ? Json("/s/" + *s.share_id) : Json(nullptr)},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

}  // namespace hark::app
