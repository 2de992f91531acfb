#include "app/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/export_config.hpp"
#include "app/server_config.hpp"

namespace hark::app {
namespace {

TEST(Config, ReadsNetworkAndRefreshSettings) {
  Config c;
  const auto s = apply_toml(R"(
[network]
allow_private_networks = false
allowed_hosts = ["nas.local:8080", "10.0.0.2"]
timeout_seconds = 5
max_feed_mb = 8

[refresh]
concurrency = 4
per_host = 2
)",
                            "hark.toml", c);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(c.allow_private_networks, false);
  EXPECT_EQ(c.allowed_hosts, (std::vector<std::string>{"nas.local:8080", "10.0.0.2"}));
  EXPECT_EQ(c.timeout_seconds, 5);
  EXPECT_EQ(c.refresh_concurrency, 4);
  EXPECT_EQ(c.refresh_per_host, 2);
  const auto p = make_policy(c, /*local_admin=*/true);
  EXPECT_FALSE(p.allow_private_networks);  // the file wins over the CLI default
  EXPECT_TRUE(p.allow_local_files);
  EXPECT_EQ(p.max_body_bytes, 8 << 20);
  EXPECT_EQ(p.timeout_ms, 5000);
}

TEST(Config, FrontEndDefaultsForPrivateNetworks) {
  Config c;
  EXPECT_TRUE(make_policy(c, true).allow_private_networks);
  EXPECT_FALSE(make_policy(c, false).allow_private_networks);
  EXPECT_FALSE(make_policy(c, false).allow_local_files);
}

TEST(Config, TyposAndBadValuesAreErrorsThatNameTheSetting) {
  Config c;
  auto s = apply_toml("[network]\ntimeout_secs = 5\n", "hark.toml", c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("network.timeout_secs"), std::string::npos);
  s = apply_toml("[refresh]\nconcurrency = 0\n", "hark.toml", c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("refresh.concurrency"), std::string::npos);
  s = apply_toml("[network\n", "hark.toml", c);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("hark.toml:1"), std::string::npos);
  s = apply_toml("[netwrok]\n", "hark.toml", c);
  ASSERT_FALSE(s);
}

TEST(ServerConfig, PublicUrlDefaultsToTheLocalServerAndIsNormalised) {
  ServerConfig c;
  EXPECT_EQ(c.public_url, "http://127.0.0.1:8080");
  ASSERT_TRUE(
      apply_server_toml("[server]\npublic_url = \"https://pods.example.org/\"\n", "hark.toml", c));
  EXPECT_EQ(c.public_url, "https://pods.example.org");
  const auto bad =
      apply_server_toml("[server]\npublic_url = \"pods.example.org\"\n", "hark.toml", c);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("server.public_url"), std::string::npos);
  EXPECT_EQ(c.public_url, "https://pods.example.org");  // a bad value changes nothing
}

TEST(ServerConfig, HttpThreadsIsAPositiveCount) {
  ServerConfig c;
  EXPECT_EQ(c.http_threads, 256);
  ASSERT_TRUE(apply_server_toml("[server]\nhttp_threads = 200\n", "hark.toml", c));
  EXPECT_EQ(c.http_threads, 200);
  const auto zero = apply_server_toml("[server]\nhttp_threads = 0\n", "hark.toml", c);
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("http_threads"), std::string::npos);
  EXPECT_FALSE(apply_server_toml("[server]\nhttp_threads = \"many\"\n", "hark.toml", c));
  EXPECT_EQ(c.http_threads, 200);
}

TEST(ServerConfig, ClipEncodersFromTheFileThenTheEnvironment) {
  ServerConfig c;
  EXPECT_EQ(c.clip_encoders, 1);
  ASSERT_TRUE(apply_server_toml("[server]\nclip_encoders = 3\n", "hark.toml", c));
  EXPECT_EQ(c.clip_encoders, 3);
  for (const char* bad : {"0", "65", "\"two\""}) {
    const auto refused =
        apply_server_toml(std::string("[server]\nclip_encoders = ") + bad + "\n", "hark.toml", c);
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message.find("server.clip_encoders"), std::string::npos)
        << refused.error().message;
  }
  EXPECT_EQ(c.clip_encoders, 3);  // a bad value changes nothing

  const auto dir =
      std::filesystem::temp_directory_path() / ("hark-clip-encoders-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "hark.toml") << "[server]\nclip_encoders = 2\n"; }
  Config config;
  config.config_file = dir / "hark.toml";
  ::unsetenv("HARK_CLIP_ENCODERS");
  auto loaded = load_server_config(config);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->clip_encoders, 2);
  ::setenv("HARK_CLIP_ENCODERS", "4", 1);
  loaded = load_server_config(config);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->clip_encoders, 4);  // the environment wins
  ::setenv("HARK_CLIP_ENCODERS", "lots", 1);
  loaded = load_server_config(config);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("HARK_CLIP_ENCODERS"), std::string::npos);
  ::unsetenv("HARK_CLIP_ENCODERS");
  std::filesystem::remove_all(dir);
}

TEST(ExportConfig, ReadsTheExportTablesAndNamesMistakes) {
  ExportConfig c;
  ASSERT_TRUE(apply_export_toml(R"(
[export.readwise]
token = "rw"
[export.notion]
token = "secret_x"
database_id = "db1"
page_per = "episode"
[export.markdown]
folder = "/vault"
)",
                                "hark.toml", c));
  EXPECT_EQ(c.readwise_token, "rw");
  EXPECT_EQ(c.notion_token, "secret_x");
  EXPECT_EQ(c.notion_database_id, "db1");
  EXPECT_TRUE(c.notion_page_per_episode);
  EXPECT_EQ(c.markdown_folder, "/vault");
  auto bad = apply_export_toml("[export.notion]\ndatabase = \"x\"\n", "hark.toml", c);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("export.notion.database"), std::string::npos);
  bad = apply_export_toml("[export.notion]\npage_per = \"page\"\n", "hark.toml", c);
  ASSERT_FALSE(bad);
  Config config;
  EXPECT_TRUE(apply_toml("[export.readwise]\ntoken = \"rw\"\n", "hark.toml", config));
}

}  // namespace
}  // namespace hark::app
