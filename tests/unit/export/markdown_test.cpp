// Golden files: tests/fixtures/export/*.expected.md. A change to the note's shape shows up
// as a diff here; write the new output over the file once it is right
// (HARK_WRITE_GOLDEN=1 writes it).
#include "export/markdown.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hark::exports {
namespace {

std::string fixture(const std::string& name) {
  return std::string(HARK_FIXTURES) + "/export/" + name;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void expect_golden(const std::string& name, const std::string& actual) {
  if (std::getenv("HARK_WRITE_GOLDEN") != nullptr) {
    std::ofstream(fixture(name), std::ios::binary) << actual;
  }
  EXPECT_EQ(actual, read(fixture(name))) << "golden file " << name;
}

EpisodeNote sample_note() {
  EpisodeNote n;
  n.podcast.id = 3;
  n.podcast.title = "The Tea Hour: Brewing & Science";
  n.podcast.author = "Ada Leaf";
  n.episode.id = 42;
  n.episode.podcast_id = 3;
  n.episode.title = "Why \"green\" tea calms: L-theanine?";
  n.episode.link = "https://tea.example.org/ep/42";
  n.episode.published_at = 1'700'000'000'000;  // 2023-11-14
  store::StoredSummary summary;
  summary.episode_id = 42;
  summary.abstract = "How theanine and caffeine work together.";
  summary.takeaways = {"Theanine smooths caffeine's peak.", "Brew at 80 °C."};
  n.summary = summary;
  store::Snip late;
  late.id = 8;
  late.episode_id = 42;
  late.start_ms = 754'000;
  late.end_ms = 781'500;
  late.title = "Temperature [matters]";
  late.summary = "Boiling water makes green tea bitter.";
  late.takeaways = {"Use 80 °C water."};
  late.quote = "Never pour\nboiling water on green tea.";
  late.quote_speaker = "Ada Leaf";
  late.note = "Try this tomorrow.";
  late.share_id = "Zk3xQ9pLmN2rT8vW";
  store::Snip early;
  early.id = 5;
  early.episode_id = 42;
  early.start_ms = 65'000;
  early.end_ms = 90'000;
  early.title = "Calm focus";
  early.summary = "Theanine promotes alpha waves.";
  n.snips = {late, early};  // newest first, as the store lists them
  n.public_url = "https://hark.example.org";
  return n;
}

TEST(Markdown, NewNoteMatchesTheGoldenFile) {
  const auto note = sample_note();
  const auto block = render_block(note, kDefaultNoteTemplate);
  ASSERT_TRUE(block) << block.error().message;
  expect_golden("new_note.expected.md", merge_note("", render_owned_front_matter(note), *block));
}

TEST(Markdown, WithTranscriptMatchesTheGoldenFile) {
  auto note = sample_note();
  note.snips.resize(1);
  note.summary.reset();
  note.transcript = "[00:00] **Ada:** Welcome to the tea hour.";
  const auto block = render_block(note, kDefaultNoteTemplate);
  ASSERT_TRUE(block) << block.error().message;
  expect_golden("transcript_note.expected.md",
                merge_note("", render_owned_front_matter(note), *block));
}

TEST(Markdown, ReexportKeepsTheUsersEditsOutsideHarksBlock) {
  // The user's note: their own front matter keys, text above and below the block, and an
  // edit inside the block (which hark replaces). Meanwhile a snip note changed in hark.
  auto note = sample_note();
  note.snips[0].note = "Tried it: much better.";
  const auto block = render_block(note, kDefaultNoteTemplate);
  ASSERT_TRUE(block);
  const auto merged =
      merge_note(read(fixture("edited_note.md")), render_owned_front_matter(note), *block);
  expect_golden("edited_note.expected.md", merged);
  EXPECT_NE(merged.find("rating: 5"), std::string::npos);
  EXPECT_NE(merged.find("My own thoughts before hark's part."), std::string::npos);
  EXPECT_NE(merged.find("## Later reflections"), std::string::npos);
  EXPECT_EQ(merged.find("Typed inside the block"), std::string::npos);
  EXPECT_NE(merged.find("Tried it: much better."), std::string::npos);
  // Idempotent: exporting again changes nothing.
  EXPECT_EQ(merge_note(merged, render_owned_front_matter(note), *block), merged);
}

TEST(Markdown, ANoteWithoutMarkersGetsTheBlockAppendedAndLosesNothing) {
  const auto note = sample_note();
  const auto block = render_block(note, kDefaultNoteTemplate).value();
  const std::string mine = "# My notes\n\nI deleted hark's markers by accident.\n";
  const auto merged = merge_note(mine, render_owned_front_matter(note), block);
  EXPECT_NE(merged.find(mine), std::string::npos);
  EXPECT_TRUE(merged.ends_with(std::string(kBlockEnd) + "\n"));
  EXPECT_EQ(note_episode_id(merged), 42);
}

TEST(Markdown, UserTemplateIsUsedAndItsMistakesAreReported) {
  const auto note = sample_note();
  const auto block = render_block(note, "{{#snips}}* {{start}} {{title}}\n{{/snips}}");
  ASSERT_TRUE(block);
  EXPECT_EQ(*block, std::string(kBlockBegin) + "\n* 1:05 Calm focus\n* 12:34 Temperature " +
                        "\\[matters\\]\n" + std::string(kBlockEnd));
  EXPECT_FALSE(render_block(note, "{{#snips}} unclosed"));
}

TEST(Markdown, FileNamesAreSafeEverywhere) {
  Episode e;
  e.id = 9;
  e.title = "Q&A: what/why? <live> | part #2.";
  e.published_at = 1'700'000'000'000;
  EXPECT_EQ(note_file_name(e), "2023-11-14 Q&A what why live part 2.md");
  EXPECT_EQ(safe_file_stem("CON"), "_CON");
  EXPECT_EQ(safe_file_stem("com1.txt"), "_com1.txt");
  EXPECT_EQ(safe_file_stem("  ...  "), "untitled");
  EXPECT_EQ(safe_file_stem("a\tb\x01"
                           "c"),
            "a b c");
  const auto long_name = safe_file_stem(std::string(100, 'x') + std::string(50, '\xC3'));
  EXPECT_LE(long_name.size(), 123u);
  std::string tea;
  for (int i = 0; i < 100; ++i) tea += "茶";
  const auto cut = safe_file_stem(tea);
  EXPECT_LE(cut.size(), 123u);
  EXPECT_EQ(cut.size() % 3, 0u);  // whole characters only
  Episode untitled;
  untitled.id = 4;
  EXPECT_EQ(note_file_name(untitled), "Episode 4.md");
  EXPECT_EQ(safe_folder_name(""), "Podcast");
}

TEST(Markdown, YamlValuesAreQuoted) {
  EXPECT_EQ(yaml_quote("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
}

}  // namespace
}  // namespace hark::exports
