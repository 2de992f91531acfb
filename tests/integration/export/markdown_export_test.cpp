// `export_markdown` on real files: notes per episode, user edits outside hark's block kept
// across re-exports, renamed notes found again, and a folder that cannot be written.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/exports.hpp"
#include "export/markdown.hpp"
#include "export_fixture.hpp"

namespace hark::app {
namespace {

namespace fs = std::filesystem;
using testing::ExportLibrary;
using testing::read_file;
using testing::write_file;

MarkdownExportOptions options_for(const fs::path& out) {
  MarkdownExportOptions o;
  o.out_dir = out;
  o.public_url = "https://hark.example.org";
  return o;
}

TEST(MarkdownExport, OneNotePerEpisodeAndUserEditsSurviveReexport) {
  ExportLibrary lib;
  const fs::path vault = lib.dir / "vault";
  auto first = export_markdown(*lib.store, lib.user, options_for(vault));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->written, 2);
  const fs::path green = vault / "The Tea Hour" / "2023-11-14 Green tea.md";
  ASSERT_TRUE(fs::exists(green));
  const std::string text = read_file(green);
  EXPECT_NE(text.find("hark_episode_id: " + std::to_string(lib.episodes[0].id)), std::string::npos);
  EXPECT_NE(text.find("[Calm focus](https://hark.example.org/episodes/" +
                      std::to_string(lib.episodes[0].id) + "?t=65)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("All about green tea."), std::string::npos);

  // The user writes above and below hark's block and adds a front matter key.
  std::string edited = text;
  edited.insert(edited.find("---\n", 4), "rating: 5\n");
  edited.insert(edited.find("<!-- hark:begin"), "My thoughts first.\n\n");
  edited += "\n## Later\nStill thinking about it.\n";
  write_file(green, edited);
  // Meanwhile, in hark: a note on a snip.
  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[0].id, "Try it tomorrow."));

  auto second = export_markdown(*lib.store, lib.user, options_for(vault));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->written, 1);
  EXPECT_EQ(second->unchanged, 1);
  const std::string after = read_file(green);
  EXPECT_NE(after.find("rating: 5"), std::string::npos);
  EXPECT_NE(after.find("My thoughts first."), std::string::npos);
  EXPECT_NE(after.find("## Later\nStill thinking about it."), std::string::npos);
  EXPECT_NE(after.find("Try it tomorrow."), std::string::npos);

  // Renamed and moved by the user: found by its hark_episode_id, not duplicated.
  fs::create_directories(vault / "Inbox");
  fs::rename(green, vault / "Inbox" / "tea.md");
  ASSERT_TRUE(lib.store->snips().update_note(lib.user, lib.snips[0].id, "Done."));
  auto third = export_markdown(*lib.store, lib.user, options_for(vault));
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_FALSE(fs::exists(green));
  EXPECT_NE(read_file(vault / "Inbox" / "tea.md").find("Done."), std::string::npos);
  EXPECT_NE(read_file(vault / "Inbox" / "tea.md").find("My thoughts first."), std::string::npos);
}

TEST(MarkdownExport, UnwritableFolderIsAClearErrorAndNothingIsLost) {
  ExportLibrary lib;
  write_file(lib.dir / "a-file", "not a folder");
  auto r = export_markdown(*lib.store, lib.user, options_for(lib.dir / "a-file" / "vault"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot write notes to"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("--out"), std::string::npos);
  EXPECT_EQ(read_file(lib.dir / "a-file"), "not a folder");
}

TEST(MarkdownExport, UserTemplateFileAndItsMistakes) {
  ExportLibrary lib;
  write_file(lib.dir / "note.md", "{{#snips}}- {{start}} {{title}}\n{{/snips}}");
  auto o = options_for(lib.dir / "vault");
  o.template_file = lib.dir / "note.md";
  o.episode = lib.episodes[0].id;
  auto r = export_markdown(*lib.store, lib.user, o);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->files.size(), 1u);
  EXPECT_NE(read_file(r->files[0]).find("- 1:05 Calm focus\n- 12:34 Temperature\n"),
            std::string::npos);

  write_file(lib.dir / "bad.md", "{{#snips}} never closed");
  o.template_file = lib.dir / "bad.md";
  o.out_dir = lib.dir / "vault2";
  auto bad = export_markdown(*lib.store, lib.user, o);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("{{/snips}}"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(fs::exists(lib.dir / "vault2"));  // nothing written
}

}  // namespace
}  // namespace hark::app
