#include "entity/vej.hpp"

#include <gtest/gtest.h>

#include "vector_file.hpp"

namespace versile {
namespace {

using nlohmann::json;

TEST(Vej, EveryVectorEntityRoundTrips) {
  std::size_t checked = 0;
  for (const char* file : {"entity-vectors.jsonl", "entity-vectors-noncanonical.jsonl"}) {
    for (const auto& v : testing::read_jsonl(file)) {
      if (!v.contains("entity")) continue;
      const Entity e = from_vej(v["entity"]);
      EXPECT_EQ(to_vej(e), v["entity"]) << v["name"];
      EXPECT_EQ(from_vej(to_vej(e)), e) << v["name"];
      ++checked;
    }
  }
  EXPECT_EQ(checked, 424u + 16u);
}

TEST(Vej, TraceUnitsRoundTrip) {
  std::size_t checked = 0;
  for (const char* file : {"call-basics.vptrace.jsonl", "entity-iterator.vptrace.jsonl",
                           "fixed-bytes-read.vptrace.jsonl", "recipe-bytes.vptrace.jsonl",
                           "recipe-entity.vptrace.jsonl", "seek-and-reread.vptrace.jsonl"}) {
    for (const auto& line : testing::read_jsonl(file)) {
      if (!line.contains("vej")) continue;
      EXPECT_EQ(to_vej(from_vej(line["vej"])), line["vej"]) << file << " " << line["index"];
      ++checked;
    }
  }
  EXPECT_GT(checked, 100u);
}

TEST(Vej, Forms) {
  EXPECT_EQ(from_vej(json(nullptr)), Entity(None{}));
  EXPECT_EQ(from_vej(json(true)), Entity(true));
  EXPECT_EQ(from_vej(json::parse(R"({"int":"-42"})")), Entity(-42));
  EXPECT_EQ(from_vej(json::parse(R"({"bytes":"00fF"})")), Entity(Bytes(std::string_view("\x00\xff", 2))));
  EXPECT_EQ(from_vej(json::parse(R"({"float":{"digits":"20","base":"2","exp":"-3"}})")), Entity(2.5));
  const Entity s = from_vej(json::parse(R"({"str":"A","enc":"utf16"})"));
  EXPECT_EQ(s.get<String>().explicit_codec(), StringCodec::utf16);
  EXPECT_EQ(to_vej(s), json::parse(R"({"str":"A","enc":"utf16"})"));
  EXPECT_EQ(to_vej(Entity("A")), json::parse(R"({"str":"A"})"));
  EXPECT_EQ(from_vej(json::parse(R"({"local":"3"})")),
            Entity(ObjectRef::raw(ObjectRef::Owner::sender, Integer(3))));
  EXPECT_EQ(from_vej(json::parse(R"({"remote":"3"})")),
            Entity(ObjectRef::raw(ObjectRef::Owner::receiver, Integer(3))));
  EXPECT_EQ(from_vej(json::parse(R"({"tagged":{"int":"1"},"tags":[]})")), Entity(Tagged(Entity(1), {})));
  EXPECT_EQ(from_vej(json::parse(R"({"exception":[{"int":"1"}]})")), Entity(Exception{Tuple{Entity(1)}}));
  EXPECT_EQ(from_vej(json::parse(R"([[],[[]]])")), Entity(Tuple{Entity(Tuple{}), Entity(Tuple{Entity(Tuple{})})}));
}

VejErrc category_of(const std::string& text) {
  try {
    parse_vej(text);
  } catch (const VejError& e) {
    return e.category();
  }
  ADD_FAILURE() << "accepted: " << text;
  return VejErrc::live_object;
}

TEST(Vej, InvalidFormsAreTyped) {
  EXPECT_EQ(category_of("[1"), VejErrc::bad_json);
  EXPECT_EQ(category_of("5"), VejErrc::not_an_entity);
  EXPECT_EQ(category_of("\"x\""), VejErrc::not_an_entity);
  EXPECT_EQ(category_of("{}"), VejErrc::not_an_entity);
  EXPECT_EQ(category_of(R"({"int":"1","x":1})"), VejErrc::not_an_entity);
  EXPECT_EQ(category_of(R"({"integer":"1"})"), VejErrc::not_an_entity);
  EXPECT_EQ(category_of(R"({"int":1})"), VejErrc::bad_integer);
  EXPECT_EQ(category_of(R"({"int":"1.5"})"), VejErrc::bad_integer);
  EXPECT_EQ(category_of(R"({"int":"-"})"), VejErrc::bad_integer);
  EXPECT_EQ(category_of(R"({"int":"+1"})"), VejErrc::bad_integer);
  EXPECT_EQ(category_of(R"({"local":"x"})"), VejErrc::bad_integer);
  EXPECT_EQ(category_of(R"({"float":{"digits":"1","base":"1","exp":"0"}})"), VejErrc::bad_float);
  EXPECT_EQ(category_of(R"({"float":{"digits":"1","base":"2"}})"), VejErrc::bad_float);
  EXPECT_EQ(category_of(R"({"float":{"digits":"1","base":"2","exp":"e"}})"), VejErrc::bad_integer);
  EXPECT_EQ(category_of(R"({"bytes":"abc"})"), VejErrc::bad_hex);
  EXPECT_EQ(category_of(R"({"bytes":"zz"})"), VejErrc::bad_hex);
  EXPECT_EQ(category_of(R"({"str":"a","enc":"latin1"})"), VejErrc::bad_codec);
  EXPECT_EQ(category_of(R"({"str":1})"), VejErrc::not_an_entity);
  EXPECT_EQ(category_of(R"({"exception":1})"), VejErrc::not_an_entity);
  EXPECT_EQ(category_of(R"({"tagged":1,"tags":{}})"), VejErrc::not_an_entity);
  EXPECT_EQ(category_of(std::string(5000, '[') + std::string(5000, ']')), VejErrc::too_deep);
}

TEST(Vej, InvalidUtf8InBuiltJsonIsRejected) {
  json j;
  j["str"] = std::string("\xed\xa0\x80");
  try {
    from_vej(j);
    ADD_FAILURE() << "accepted a surrogate";
  } catch (const VejError& e) {
    EXPECT_EQ(e.category(), VejErrc::bad_utf8);
  }
}

TEST(Vej, DepthLimit) {
  json j = json::array();
  for (int i = 0; i < 10; ++i) j = json::array({j});
  EXPECT_NO_THROW(from_vej(j, 11));
  EXPECT_THROW(from_vej(j, 10), VejError);
}

struct Thing : Object {};

TEST(Vej, LiveObjectsNeedANamer) {
  const Entity e(std::make_shared<Thing>());
  EXPECT_THROW(to_vej(e), VejError);
  const json named = to_vej(e, [](const ObjectRef&) -> std::optional<VejRef> {
    return VejRef{ObjectRef::Owner::sender, Integer(7)};
  });
  EXPECT_EQ(named, json::parse(R"({"local":"7"})"));
}

}  // namespace
}  // namespace versile
