// Artwork a browser cannot load itself (a local feed's file:// image, an http:// image) is
// served by hark, and only when it really is an image.
#include "server/artwork.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "server_fixture.hpp"

namespace hark::testing {
namespace {

using nlohmann::json;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n", 8) + "rest of a tiny png";

class ArtworkTest : public ServerTest {
 protected:
  Id add_podcast(const std::string& feed_url, const std::string& image_url) {
    Podcast p;
    p.feed_url = feed_url;
    p.title = "Local Show";
    p.image_url = image_url;
    auto inserted = app_->store().podcasts().insert(p);
    EXPECT_TRUE(inserted) << inserted.error().message;
    return inserted ? inserted->id : 0;
  }
};

TEST_F(ArtworkTest, ALocalFeedsFileImageIsServedAndLinkedFromTheApi) {
  write_file(dir_ / "art.png", kPng);
  const Id id = add_podcast("file://" + (dir_ / "feed.xml").string(),
                            "file://" + (dir_ / "art.png").string());
  const auto reply = get("/api/podcasts/" + std::to_string(id) + "/artwork");  // no login
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "image/png");
  EXPECT_EQ(reply.body, kPng);

  const auto user = add_user("ann");
  ASSERT_TRUE(app_->store().subscriptions().subscribe(user.id, id));
  const auto session = login("ann");
  const auto list = get("/api/podcasts", {{"Cookie", session.cookie}});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json::parse(list.body)["podcasts"][0]["image_url"],
            "/api/podcasts/" + std::to_string(id) + "/artwork");
}

TEST_F(ArtworkTest, ALocalFileThatIsNoImageIsNotServed) {
  write_file(dir_ / "secret.txt", "not an image at all");
  const Id id = add_podcast("file://" + (dir_ / "feed.xml").string(),
                            "file://" + (dir_ / "secret.txt").string());
  const auto reply = get("/api/podcasts/" + std::to_string(id) + "/artwork");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body.find("not an image at all"), std::string::npos);
}

TEST_F(ArtworkTest, AWebFeedCannotPointAtALocalFile) {
  write_file(dir_ / "art.png", kPng);
  const Id id =
      add_podcast("https://example.org/feed.xml", "file://" + (dir_ / "art.png").string());
  EXPECT_EQ(get("/api/podcasts/" + std::to_string(id) + "/artwork").status, 404);
}

TEST_F(ArtworkTest, HttpsImagesAreLinkedDirectlyAndUnknownIdsAre404) {
  Podcast p;
  p.id = 7;
  p.image_url = "https://cdn.example.org/a.jpg";
  EXPECT_EQ(server::podcast_image_src(p), "https://cdn.example.org/a.jpg");
  p.image_url = "http://cdn.example.org/a.jpg";
  EXPECT_EQ(server::podcast_image_src(p), "/api/podcasts/7/artwork");
  EXPECT_EQ(get("/api/podcasts/999/artwork").status, 404);
  EXPECT_EQ(get("/api/episodes/999/artwork").status, 404);
}

TEST(ImageType, ByFirstBytesOnly) {
  EXPECT_EQ(server::image_type(kPng), "image/png");
  EXPECT_EQ(server::image_type("\xFF\xD8\xFF\xE0 jfif"), "image/jpeg");
  EXPECT_EQ(server::image_type("GIF89a..."), "image/gif");
  EXPECT_EQ(server::image_type(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_FALSE(server::image_type("<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"));
  EXPECT_FALSE(server::image_type(""));
}

}  // namespace
}  // namespace hark::testing
