// `hark clip`, `hark share` and `hark export markdown` on the sample podcast, as from a shell;
// clips are checked with ffprobe (duration within 100 ms of the snip, tags present).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hark_runner.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using hark::testing::run_hark;

// ffprobe's JSON report of a file (format and streams), or null.
nlohmann::json ffprobe(const fs::path& file) {
  const std::string cmd =
      "ffprobe -v error -print_format json -show_format -show_streams '" + file.string() + "'";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return nullptr;
  std::string out;
  char buffer[4096];
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return nlohmann::json::parse(out, nullptr, false);
}

class ExportCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* sample = std::getenv("HARK_SAMPLE_DIR");
    feed_ = fs::path(sample != nullptr ? sample : "") / "feed.xml";
  }
  void SetUp() override {
    ASSERT_TRUE(fs::exists(feed_)) << "sample podcast missing at " << feed_;
    data_ = dir_ / "data";
    fs::create_directories(data_);
    ASSERT_EQ(run({"add", feed_.string()}).exit_code, 0);
    auto processed = run({"process", "1"});
    ASSERT_EQ(processed.exit_code, 0) << processed.err;
    auto snipped = run({"snip", "1", "--at", "1:35", "--json"});
    ASSERT_EQ(snipped.exit_code, 0) << snipped.err;
    snip_ = nlohmann::json::parse(snipped.out);
  }
  hark::testing::HarkRun run(std::vector<std::string> args) {
    return run_hark(data_, std::move(args));
  }

  static inline fs::path feed_;
  hark::testing::TempDir dir_;
  fs::path data_;
  nlohmann::json snip_;
};

TEST_F(ExportCli, ClipMatchesTheSnipAndCarriesTags) {
  const double expected_s =
      (snip_["end_ms"].get<double>() - snip_["start_ms"].get<double>()) / 1000;
  for (const char* name : {"clip.mp3", "clip.m4a"}) {
    const fs::path out = dir_ / name;
    auto clipped = run({"clip", std::to_string(snip_["id"].get<int>()), "--out", out.string()});
    ASSERT_EQ(clipped.exit_code, 0) << clipped.err;
    const auto probe = ffprobe(out);
    ASSERT_TRUE(probe.is_object()) << name;
    const double duration = std::stod(probe["format"]["duration"].get<std::string>());
    EXPECT_NEAR(duration, expected_s, 0.1) << name;
    const auto& tags = probe["format"]["tags"];
    EXPECT_EQ(tags.value("title", ""), snip_["title"].get<std::string>()) << name << tags.dump();
    EXPECT_FALSE(tags.value("album", "").empty()) << name << tags.dump();
    EXPECT_FALSE(tags.value("artist", "").empty()) << name << tags.dump();
    // The sample podcast's artwork (a local PNG) is the clip's cover.
    bool cover = false;
    for (const auto& stream : probe["streams"])
      cover = cover || stream["disposition"].value("attached_pic", 0) == 1;
    EXPECT_TRUE(cover) << name << probe["streams"].dump();
    EXPECT_EQ(clipped.err, "") << name;
  }
}

TEST_F(ExportCli, ClipErrorsNameWhatToFix) {
  auto unknown = run({"clip", "99", "--out", (dir_ / "x.mp3").string()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "hark: you have no snip with id 99\n");
  auto nowhere = run({"clip", "1", "--out", (dir_ / "missing" / "x.mp3").string()});
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_NE(nowhere.err.find("does not exist"), std::string::npos) << nowhere.err;
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
  auto format = run({"clip", "1", "--out", (dir_ / "x.doc").string()});
  EXPECT_EQ(format.exit_code, 1);
  EXPECT_FALSE(fs::exists(dir_ / "x.doc"));
}

TEST_F(ExportCli, ShareIntentsFitAndLinkToThePlayer) {
  hark::testing::write_file(data_ / "hark.toml",
                            "[server]\npublic_url = \"https://hark.example.org/\"\n");
  auto shared = run({"share", "1", "--json"});
  ASSERT_EQ(shared.exit_code, 0) << shared.err;
  const auto j = nlohmann::json::parse(shared.out);
  const std::string link = j["link"];
  EXPECT_TRUE(link.starts_with("https://hark.example.org/s/")) << link;
  EXPECT_EQ(j["shared"], true);
  // Sharing again keeps the same page.
  EXPECT_EQ(nlohmann::json::parse(run({"share", "1", "--json"}).out)["link"], link);
  EXPECT_TRUE(
      j["twitter_url"].get<std::string>().starts_with("https://twitter.com/intent/tweet?text="));
  EXPECT_TRUE(j["whatsapp_url"].get<std::string>().starts_with("https://wa.me/?text="));
  EXPECT_NE(j["whatsapp_text"].get<std::string>().find(link), std::string::npos);
  auto text = run({"share", "1"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Share page: " + link), std::string::npos) << text.out;
  auto unknown = run({"share", "42"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "hark: you have no snip with id 42\n");
  EXPECT_NE(text.out.find("Twitter/X:"), std::string::npos);
}

TEST_F(ExportCli, MarkdownExportWritesANoteAndKeepsEdits) {
  const fs::path vault = dir_ / "vault";
  auto first = run({"export", "markdown", "--out", vault.string(), "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto files = nlohmann::json::parse(first.out)["files"];
  ASSERT_EQ(files.size(), 1u);
  const fs::path note = files[0].get<std::string>();
  std::string text = hark::testing::read_file(note);
  EXPECT_NE(text.find(snip_["title"].get<std::string>()), std::string::npos);
  hark::testing::write_file(note, text + "\nMy own words.\n");
  auto again = run({"export", "markdown", "--out", vault.string(), "--transcript"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  text = hark::testing::read_file(note);
  EXPECT_NE(text.find("My own words."), std::string::npos);
  EXPECT_NE(text.find("## Transcript"), std::string::npos);
  auto nowhere = run({"export", "markdown"});
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_NE(nowhere.err.find("--out"), std::string::npos);
}

// The senders' command lines: without a token each names the setting to fill in, and
// nothing is sent.
TEST_F(ExportCli, ReadwiseAndNotionWithoutATokenNameTheSetting) {
  auto readwise = run({"export", "readwise"});
  EXPECT_EQ(readwise.exit_code, 1);
  EXPECT_NE(readwise.err.find("[export.readwise] token"), std::string::npos) << readwise.err;
  auto notion = run({"export", "notion"});
  EXPECT_EQ(notion.exit_code, 1);
  EXPECT_NE(notion.err.find("[export.notion] token"), std::string::npos) << notion.err;
}

TEST_F(ExportCli, JsonExportWipeImportGivesIdenticalSnips) {
  ASSERT_EQ(run({"snip", "1", "--from", "30", "--to", "75.5"}).exit_code, 0);
  const auto before = run({"snips", "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  const fs::path backup = dir_ / "backup.json";
  auto exported = run({"export", "json", "--out", backup.string()});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;

  fs::remove_all(data_);
  fs::create_directories(data_);
  auto imported = run({"import", "json", backup.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const auto after = run({"snips", "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
  EXPECT_EQ(run({"podcasts", "--json"}).exit_code, 0);

  // Again into the now full library: merged, so nothing is added twice.
  auto twice = run({"import", "json", backup.string()});
  EXPECT_EQ(twice.exit_code, 0) << twice.err;
  EXPECT_NE(twice.out.find("added 0 podcasts, 0 episodes, 0 snips"), std::string::npos)
      << twice.out;
  EXPECT_NE(twice.out.find("Already there (skipped): 1 podcasts, 3 episodes, 2 snips"),
            std::string::npos)
      << twice.out;
  EXPECT_EQ(run({"snips", "--json"}).out, before.out);
  hark::testing::write_file(dir_ / "junk.json", "{\"hello\": 1}");
  auto junk = run({"import", "json", (dir_ / "junk.json").string()});
  EXPECT_EQ(junk.exit_code, 1);
  EXPECT_NE(junk.err.find("not a hark library backup"), std::string::npos) << junk.err;
}

}  // namespace
