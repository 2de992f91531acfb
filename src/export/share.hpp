// Share intents for a snip: links that open Twitter/X's or WhatsApp's composer with the
// text filled in (title, a short summary, the share page link). Nothing is sent by hark.
//
// Twitter/X (developer.x.com, "Web Intents" / "Tweet button": https://twitter.com/intent/
// tweet?text=…&url=…; the composer appends the url after a space; a tweet holds 280
// "weighted" characters and every link counts as 23, t.co's length). The weighting follows
// twitter-text's defaults: code points up to U+10FF and a few punctuation ranges count 1,
// all others (CJK, emoji, …) count 2.
// WhatsApp ("click to chat", faq.whatsapp.com: https://wa.me/?text=<url-encoded text>); no
// length is documented, so hark keeps the text to kWhatsAppMaxChars.
//
// Pure; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hark::exports {

inline constexpr std::size_t kTweetMaxWeight = 280;
inline constexpr std::size_t kTweetLinkWeight = 23;
inline constexpr std::size_t kWhatsAppMaxChars = 1000;

struct ShareText {
  std::string title;
  std::string summary;
  std::string link;  // the share page (or the player link)
};

struct ShareIntents {
  std::string tweet_text;  // what the composer shows before the link
  std::string twitter_url;
  std::string whatsapp_text;  // includes the link
  std::string whatsapp_url;
};

// twitter-text's weighted length of `text` (links are not detected: callers count them).
std::size_t tweet_weight(std::string_view text);

// The title, then as much of the summary as fits (cut at a word, with "…"), each fitted to
// the service's limit with the link counted as that service counts it.
ShareIntents share_intents(const ShareText& text);

}  // namespace hark::exports
