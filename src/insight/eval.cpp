#include "insight/eval.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "transcript/parse.hpp"

namespace hark::insight::eval {
namespace {

std::string clock(Millis ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld:%02lld.%01lld", static_cast<long long>(ms / 60000),
                static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000 / 100));
  return buf;
}

// The sentence whose start (or end) is nearest to ms.
std::size_t nearest_start(const EpisodeAnalysis& a, Millis ms) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < a.size(); ++i)
    if (std::llabs(a.sentence(i).sentence.start_ms - ms) <
        std::llabs(a.sentence(best).sentence.start_ms - ms))
      best = i;
  return best;
}

std::size_t nearest_end(const EpisodeAnalysis& a, Millis ms) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < a.size(); ++i)
    if (std::llabs(a.sentence(i).sentence.end_ms - ms) <
        std::llabs(a.sentence(best).sentence.end_ms - ms))
      best = i;
  return best;
}

double keyword_recall(const LanguageRules& rules, const std::string& title,
                      const std::vector<std::string>& keywords) {
  if (keywords.empty()) return 1;
  std::vector<std::string> stems;
  for (const auto& tok : tokenize(title)) {
    stems.push_back(rules.stem(tok.lower));
    // Hyphenated words count by their parts too ("four-day" holds "day").
    for (const auto& part : text::split(tok.lower, '-')) stems.push_back(rules.stem(part));
  }
  int hits = 0;
  for (const auto& kw : keywords) {
    bool hit = false;
    for (const auto& alt : text::split(kw, '|'))
      if (std::find(stems.begin(), stems.end(),
                    rules.stem(text::to_lower_ascii(text::trim(alt)))) != stems.end())
        hit = true;
    hits += hit ? 1 : 0;
  }
  return static_cast<double>(hits) / static_cast<double>(keywords.size());
}

template <typename T>
T get_or(const nlohmann::json& j, const char* key, T fallback) {
  return j.contains(key) ? j.at(key).get<T>() : fallback;
}

}  // namespace

Result<SnipCase> parse_snip_case(std::string_view json, std::string name) {
  try {
    const auto j = nlohmann::json::parse(json);
    SnipCase c;
    c.transcript = j.at("transcript").get<std::string>();
    c.style = get_or<std::string>(j, "style", "");
    c.tap_ms = j.at("tap_ms").get<Millis>();
    c.expected_start_ms = j.at("expected_start_ms").get<Millis>();
    c.expected_end_ms = j.at("expected_end_ms").get<Millis>();
    c.title_keywords = get_or<std::vector<std::string>>(j, "title_keywords", {});
    c.name = std::move(name);
    return c;
  } catch (const nlohmann::json::exception& e) {
    return invalid_input("snip case " + name + ": " + e.what());
  }
}

Result<ChapterCase> parse_chapter_case(std::string_view json, std::string name) {
  try {
    const auto j = nlohmann::json::parse(json);
    ChapterCase c;
    c.transcript = j.at("transcript").get<std::string>();
    c.style = get_or<std::string>(j, "style", "");
    c.boundaries_ms = j.at("boundaries_ms").get<std::vector<Millis>>();
    c.name = std::move(name);
    return c;
  } catch (const nlohmann::json::exception& e) {
    return invalid_input("chapter case " + name + ": " + e.what());
  }
}

double pk(const std::vector<std::size_t>& reference, const std::vector<std::size_t>& hypothesis,
          std::size_t n, std::size_t k) {
  if (n < 2) return 0;
  auto labels = [n](const std::vector<std::size_t>& starts) {
    std::vector<int> label(n, 0);
    std::vector<std::size_t> sorted = starts;
    std::sort(sorted.begin(), sorted.end());
    int seg = 0;
    std::size_t next = 0;
    for (std::size_t i = 0; i < n; ++i) {
      while (next < sorted.size() && sorted[next] <= i) {
        if (sorted[next] > 0) ++seg;
        ++next;
      }
      label[i] = seg;
    }
    return label;
  };
  const auto ref = labels(reference), hyp = labels(hypothesis);
  if (k == 0) {
    const auto segments = static_cast<std::size_t>(ref.back() + 1);
    k = std::max<std::size_t>(
        1, static_cast<std::size_t>(
               std::lround(static_cast<double>(n) / (2.0 * static_cast<double>(segments)))));
  }
  if (k >= n) return 0;
  std::size_t wrong = 0;
  for (std::size_t i = 0; i + k < n; ++i)
    if ((ref[i] == ref[i + k]) != (hyp[i] == hyp[i + k])) ++wrong;
  return static_cast<double>(wrong) / static_cast<double>(n - k);
}

Report evaluate(const FixtureSet& fx, const SnipOptions& snip_options,
                const ChapterOptions& chapter_options) {
  Report report;
  std::map<std::string, EpisodeAnalysis> analyses;
  auto analysis_of = [&](const std::string& name) -> const EpisodeAnalysis* {
    if (auto it = analyses.find(name); it != analyses.end()) return &it->second;
    const auto bytes = fx.transcripts.find(name);
    if (bytes == fx.transcripts.end()) {
      report.errors.push_back("missing transcript " + name);
      return nullptr;
    }
    auto parsed = transcript::parse_transcript(bytes->second, "text/vtt");
    if (!parsed) {
      report.errors.push_back(name + ": " + parsed.error().message);
      return nullptr;
    }
    auto a = EpisodeAnalysis::build(parsed->transcript);
    if (!a) {
      report.errors.push_back(name + ": " + a.error().message);
      return nullptr;
    }
    return &analyses.emplace(name, std::move(*a)).first->second;
  };

  for (const auto& [name, bytes] : fx.snip_cases) {
    auto c = parse_snip_case(bytes, name);
    if (!c) {
      report.errors.push_back(c.error().message);
      continue;
    }
    const auto* a = analysis_of(c->transcript);
    if (a == nullptr) continue;
    SnipResult r;
    r.name = c->name;
    r.style = c->style;
    r.expected_start_ms = c->expected_start_ms;
    r.expected_end_ms = c->expected_end_ms;
    auto bounds = snip_bounds(*a, c->tap_ms, snip_options);
    if (!bounds) {
      r.error = bounds.error().message;
    } else {
      const auto draft = draft_for(*a, *bounds, snip_options.write);
      r.got_start_ms = bounds->start_ms;
      r.got_end_ms = bounds->end_ms;
      r.reason = bounds->reason;
      r.title = draft.title;
      r.start_off = static_cast<int>(bounds->first) -
                    static_cast<int>(nearest_start(*a, c->expected_start_ms));
      r.end_off =
          static_cast<int>(bounds->last) - static_cast<int>(nearest_end(*a, c->expected_end_ms));
      r.start_ok = std::abs(r.start_off) <= 1;
      r.end_ok = std::abs(r.end_off) <= 1;
      r.keyword_recall = keyword_recall(a->rules(), draft.title, c->title_keywords);
    }
    report.snips.push_back(std::move(r));
  }

  for (const auto& [name, bytes] : fx.chapter_cases) {
    auto c = parse_chapter_case(bytes, name);
    if (!c) {
      report.errors.push_back(c.error().message);
      continue;
    }
    const auto* a = analysis_of(c->transcript);
    if (a == nullptr) continue;
    ChapterResult r;
    r.name = c->name;
    r.style = c->style;
    r.expected_ms = c->boundaries_ms;
    std::vector<std::size_t> ref;
    for (Millis ms : c->boundaries_ms) ref.push_back(nearest_start(*a, ms));
    const auto hyp = chapter_starts(*a, chapter_options);
    for (std::size_t s : hyp)
      if (s > 0) r.got_ms.push_back(a->sentence(s).sentence.start_ms);
    if (auto chapters = generated_chapters(*a, chapter_options))
      for (const auto& ch : *chapters) r.titles.push_back(ch.title);
    r.pk = pk(ref, hyp, a->size());
    report.chapters.push_back(std::move(r));
  }

  int right = 0;
  double recall = 0;
  for (const auto& r : report.snips) {
    auto& st = report.by_style[r.style];
    ++st.cases;
    const bool ok = r.start_ok && r.end_ok;
    right += ok ? 1 : 0;
    st.boundaries_right += ok ? 1 : 0;
    st.keyword_recall += r.keyword_recall;
    recall += r.keyword_recall;
  }
  for (auto& [style, st] : report.by_style)
    if (st.cases > 0) st.keyword_recall /= st.cases;
  if (!report.snips.empty()) {
    report.boundary_hit_rate =
        static_cast<double>(right) / static_cast<double>(report.snips.size());
    report.title_keyword_recall = recall / static_cast<double>(report.snips.size());
  }
  if (!report.chapters.empty()) {
    double sum = 0;
    for (const auto& r : report.chapters) sum += r.pk;
    report.mean_pk = sum / static_cast<double>(report.chapters.size());
  }
  return report;
}

std::string format_report(const Report& report) {
  std::string out;
  char line[512];
  out += "snip cases (start/end: sentences off the expected; ok = within ±1)\n";
  for (const auto& r : report.snips) {
    if (!r.error.empty()) {
      std::snprintf(line, sizeof line, "  FAIL %-32s error: %s\n", r.name.c_str(), r.error.c_str());
      out += line;
      continue;
    }
    std::snprintf(
        line, sizeof line,
        "  %-4s %-30s %-9s start %+d (%s vs %s) end %+d (%s vs %s) %-14s kw %.2f  \"%s\"\n",
        r.start_ok && r.end_ok ? "ok" : "MISS", r.name.c_str(), r.style.c_str(), r.start_off,
        clock(r.got_start_ms).c_str(), clock(r.expected_start_ms).c_str(), r.end_off,
        clock(r.got_end_ms).c_str(), clock(r.expected_end_ms).c_str(), r.reason.c_str(),
        r.keyword_recall, r.title.c_str());
    out += line;
  }
  out += "chapter cases\n";
  for (const auto& r : report.chapters) {
    std::string expected, got;
    for (Millis ms : r.expected_ms) expected += clock(ms) + " ";
    for (Millis ms : r.got_ms) got += clock(ms) + " ";
    std::snprintf(line, sizeof line, "  %-24s %-9s Pk %.3f  expected [ %s] got [ %s]\n",
                  r.name.c_str(), r.style.c_str(), r.pk, expected.c_str(), got.c_str());
    out += line;
    for (const auto& t : r.titles) out += "      - " + t + "\n";
  }
  out += "by style\n";
  for (const auto& [style, st] : report.by_style) {
    std::snprintf(line, sizeof line,
                  "  %-10s %2d cases  boundaries right %5.1f %%  title keyword recall %.2f\n",
                  style.c_str(), st.cases, 100.0 * st.boundaries_right / std::max(1, st.cases),
                  st.keyword_recall);
    out += line;
  }
  std::snprintf(line, sizeof line,
                "TOTAL snips %zu  boundary hit rate %.1f %%  title keyword recall %.2f  "
                "chapters %zu  mean Pk %.3f\n",
                report.snips.size(), 100.0 * report.boundary_hit_rate, report.title_keyword_recall,
                report.chapters.size(), report.mean_pk);
  out += line;
  for (const auto& e : report.errors) out += "error: " + e + "\n";
  return out;
}

}  // namespace hark::insight::eval
