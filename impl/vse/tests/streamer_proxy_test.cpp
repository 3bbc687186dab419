#include <gtest/gtest.h>

#include "vse/stream/streamer_proxy.hpp"

namespace vs = versile::stream;
using versile::Entity;
using versile::ObjectRef;
using versile::Tagged;
using versile::Tuple;

namespace {
ObjectRef some_object() { return ObjectRef(std::make_shared<versile::Object>()); }
Entity tagged(ObjectRef ref, std::vector<Entity> tags) { return Tagged(Entity(ref), tags); }
}  // namespace

TEST(StreamerProxy, EncodesVseOidForm) {
  auto obj = some_object();
  Entity e = vs::encode_streamer_tag(vs::ElementKind::entities, obj, 4165);
  ASSERT_TRUE(e.is<Tagged>());
  const auto& t = e.get<Tagged>();
  EXPECT_EQ(t.value(), Entity(obj));
  ASSERT_EQ(t.tags().size(), 4u);
  EXPECT_EQ(t.tags()[0], Entity(21));
  EXPECT_EQ(t.tags()[1], Entity(2));
  EXPECT_EQ(t.tags()[2], Entity(2));
  EXPECT_EQ(t.tags()[3], Entity(4165));
  auto byte = vs::encode_streamer_tag(vs::ElementKind::bytes, obj, 0x1045);
  EXPECT_EQ(byte.get<Tagged>().tags()[2], Entity(1));
}

TEST(StreamerProxy, DecodesAllThreeHeaderForms) {
  auto obj = some_object();
  auto a = tagged(obj, {21, 2, 1, 4039}).as<vs::ByteStreamerProxy>();
  EXPECT_EQ(a.mode(), 4039);
  EXPECT_EQ(a.streamer(), obj);
  auto b = tagged(obj, {100, 1, 3, 6, 1, 4, 1, 38927, 1, 2, 2, 7}).as<vs::EntityStreamerProxy>();
  EXPECT_EQ(b.mode(), 7);
  Entity name = Tuple{"versile", "stream", "bytestreamer"};
  Entity version = Tuple{0, 8};
  auto c = tagged(obj, {-1, name, version, -3}).as<vs::ByteStreamerProxy>();
  EXPECT_EQ(c.mode(), -3);  // stored unvalidated (REF)
  // Round trip through the converter.
  Entity again = versile::EntityConverter<vs::ByteStreamerProxy>::to_entity(a);
  EXPECT_EQ(again, tagged(obj, {21, 2, 1, 4039}));
}

TEST(StreamerProxy, RejectsMalformedTags) {
  auto obj = some_object();
  std::error_code ec;
  EXPECT_FALSE(vs::decode_streamer_tag(tagged(obj, {21, 2, 1}), ec));
  EXPECT_EQ(ec, vs::StreamErrc::proxy_bad_residual_tags);
  EXPECT_FALSE(vs::decode_streamer_tag(tagged(obj, {21, 2, 1, 5, 6}), ec));
  EXPECT_EQ(ec, vs::StreamErrc::proxy_bad_residual_tags);
  EXPECT_FALSE(vs::decode_streamer_tag(tagged(obj, {21, 2, 1, true}), ec));
  EXPECT_EQ(ec, vs::StreamErrc::proxy_mode_not_integer);
  EXPECT_FALSE(vs::decode_streamer_tag(Tagged(Entity(5), {21, 2, 1, 5}), ec));
  EXPECT_EQ(ec, vs::StreamErrc::proxy_value_not_object);
  EXPECT_FALSE(vs::decode_streamer_tag(Tagged(Entity(), {21, 2, 2, 5}), ec));
  EXPECT_EQ(ec, vs::StreamErrc::proxy_value_not_object);
  EXPECT_FALSE(vs::decode_streamer_tag(tagged(obj, {21, 2, 3, 5}), ec));
  EXPECT_EQ(ec, vs::StreamErrc::proxy_not_streamer_tag);
  EXPECT_FALSE(vs::decode_streamer_tag(Entity(5), ec));
  EXPECT_EQ(ec, vs::StreamErrc::proxy_not_streamer_tag);
  // Kind mismatch.
  EXPECT_THROW((void)tagged(obj, {21, 2, 2, 5}).as<vs::ByteStreamerProxy>(),
               versile::EntityTypeError);
  EXPECT_FALSE(vs::to_entity_streamer_proxy(tagged(obj, {21, 2, 1, 5}), &ec));
  EXPECT_EQ(ec, vs::StreamErrc::proxy_not_streamer_tag);
}
