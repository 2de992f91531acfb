#include "export/template.hpp"

#include <gtest/gtest.h>

namespace hark::exports {
namespace {

TEST(Template, VariablesListsAndConditions) {
  const nlohmann::json data = {
      {"title", "Tea"},     {"n", 3},      {"items", {{{"name", "a"}}, {{"name", "b"}}}},
      {"tags", {"x", "y"}}, {"empty", ""}, {"none", nlohmann::json::array()}};
  EXPECT_EQ(render_template("{{title}} ({{n}}){{missing}}", data).value(), "Tea (3)");
  EXPECT_EQ(render_template("{{#items}}[{{name}}/{{title}}]{{/items}}", data).value(),
            "[a/Tea][b/Tea]");
  EXPECT_EQ(render_template("{{#tags}}#{{.}} {{/tags}}", data).value(), "#x #y ");
  EXPECT_EQ(render_template("{{#empty}}no{{/empty}}{{^empty}}yes{{/empty}}", data).value(), "yes");
  EXPECT_EQ(render_template("{{^none}}nothing{{/none}}{{! a comment }}", data).value(), "nothing");
  EXPECT_EQ(render_template("{{#title}}has {{title}}{{/title}}", data).value(), "has Tea");
}

TEST(Template, StandaloneSectionLinesLeaveNoBlankLines) {
  const nlohmann::json data = {{"tags", {"x", "y"}}};
  EXPECT_EQ(render_template("a\n{{#tags}}\n- {{.}}\n{{/tags}}\nb\n", data).value(),
            "a\n- x\n- y\nb\n");
}

TEST(Template, NestedSectionsOfTheSameName) {
  const nlohmann::json data = {{"a", {{{"a", {1, 2}}}}}};
  EXPECT_EQ(render_template("{{#a}}<{{#a}}{{.}}{{/a}}>{{/a}}", data).value(), "<12>");
}

TEST(Template, MistakesNameTheLine) {
  auto r = render_template("ok\n{{#snips}}\nno end\n", nlohmann::json::object());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("line 2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("{{/snips}}"), std::string::npos);
  r = render_template("{{/x}}", nlohmann::json::object());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("without opening"), std::string::npos);
  r = render_template("{{title", nlohmann::json::object());
  ASSERT_FALSE(r);
}

}  // namespace
}  // namespace hark::exports
