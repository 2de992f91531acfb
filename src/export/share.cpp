#include "export/share.hpp"

#include <algorithm>
#include <vector>

#include "core/text.hpp"
#include "export/links.hpp"

namespace hark::exports {

using text::collapse_whitespace;
using text::sanitize_utf8;
using text::trim;
using text::truncate_utf8;
using text::utf8_sequence_length;
namespace {

// Decodes UTF-8 into code points (input is sanitised first, so it is valid).
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::size_t weight_of(char32_t cp) {
  const bool light = cp <= 0x10FF || (cp >= 0x2000 && cp <= 0x200D) ||
                     (cp >= 0x2010 && cp <= 0x201F) || (cp >= 0x2032 && cp <= 0x2037);
  return light ? 1 : 2;
}

std::size_t char_count(std::string_view s) {
  return code_points(s).size();
}

// The longest prefix of `text` whose measure (+ "…" when cut) is at most `budget`, cut at
// a word boundary when one is near; "" when not even "…" fits.
template <typename Measure>
std::string fit(std::string_view text, std::size_t budget, Measure measure) {
  if (measure(text) <= budget) return std::string(text);
  const std::string ellipsis = "…";
  if (measure(ellipsis) > budget) return "";
  std::size_t used = measure(ellipsis);
  std::size_t cut = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = std::max<std::size_t>(1, utf8_sequence_length(text, i));
    const std::size_t w = measure(text.substr(i, n));
    if (used + w > budget) break;
    used += w;
    i += n;
    cut = i;
  }
  std::string_view head = text.substr(0, cut);
  if (const auto space = head.rfind(' '); space != std::string_view::npos && space > cut / 2)
    head = head.substr(0, space);
  while (!head.empty() && (head.back() == ' ' || head.back() == ',' || head.back() == '.' ||
                           head.back() == ';' || head.back() == ':'))
    head.remove_suffix(1);
  return std::string(head) + ellipsis;
}

// "title\n\nsummary" fitted into `budget` by `measure`: the title first, the summary with
// what is left.
template <typename Measure>
std::string compose(const std::string& title, const std::string& summary, std::size_t budget,
                    Measure measure) {
  std::string head = fit(title, budget, measure);
  if (summary.empty() || head.size() < title.size()) return head;
  const std::size_t sep = measure("\n\n");
  const std::size_t used = measure(head) + sep;
  if (used + measure("…") + 20 > budget) return head;  // no room for a useful summary
  const std::string body = fit(summary, budget - used, measure);
  return body.empty() ? head : head + "\n\n" + body;
}

}  // namespace

std::size_t tweet_weight(std::string_view text) {
  std::size_t total = 0;
  for (const char32_t cp : code_points(text)) total += weight_of(cp);
  return total;
}

ShareIntents share_intents(const ShareText& input) {
  const std::string title = collapse_whitespace(sanitize_utf8(input.title));
  const std::string summary = collapse_whitespace(sanitize_utf8(input.summary));
  ShareIntents out;
  // The composer joins text and url with one space; the link weighs 23 whatever its length.
  const std::size_t tweet_budget =
      kTweetMaxWeight - (input.link.empty() ? 0 : kTweetLinkWeight + 1);
  out.tweet_text =
      compose(title, summary, tweet_budget, [](std::string_view s) { return tweet_weight(s); });
  out.twitter_url = "https://twitter.com/intent/tweet?text=" + percent_encode(out.tweet_text);
  if (!input.link.empty()) out.twitter_url += "&url=" + percent_encode(input.link);

  const std::size_t wa_budget =
      kWhatsAppMaxChars - (input.link.empty() ? 0 : char_count(input.link) + 2);
  out.whatsapp_text =
      compose(title, summary, wa_budget, [](std::string_view s) { return char_count(s); });
  if (!input.link.empty()) out.whatsapp_text += "\n\n" + input.link;
  out.whatsapp_url = "https://wa.me/?text=" + percent_encode(out.whatsapp_text);
  return out;
}

}  // namespace hark::exports
