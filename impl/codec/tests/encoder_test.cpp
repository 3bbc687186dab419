// Encoder behaviour beyond the reference vectors: layout examples from entities.md §6, string
// codec selection, zero-copy payloads, references and unencodable values.
#include <gtest/gtest.h>

#include "codec/encoder.hpp"
#include "codec/error.hpp"
#include "codec/output_buffer.hpp"
#include "test_support.hpp"

namespace versile::codec {
namespace {

using testing::from_hex;
using testing::TestResolver;
using testing::to_hex;

std::string hex_of(const Entity& e, const EncodeOptions& opts = {}) { return to_hex(encode_to_vector(e, opts)); }

Bytes bytes_of(std::string_view s) { return Bytes(s); }

TEST(Encoder, HeadersThenPayloadsInReversePreOrder) {
  // ("ab", (b"cd", "ef"), b"gh") – entities.md §6.
  const Entity e(Tuple{Entity("ab"), Entity(Tuple{Entity(bytes_of("cd")), Entity("ef")}), Entity(bytes_of("gh"))});
  EXPECT_EQ(hex_of(e), "f603f402f602f302f402f302" "6768" "6566" "6364" "6162");
  // The naive depth-first layout would be f602f40261 62...; §14.1.
  EXPECT_EQ(hex_of(Entity(Tuple{Entity("ab"), Entity("cd")})), "f602f402f40263646162");
}

TEST(Encoder, StringCodecSelection) {
  // Explicit codec → f5 with that codec, payload data then name.
  EXPECT_EQ(hex_of(Entity(Tuple{Entity(String("ab", StringCodec::utf8)), Entity(String("cd", StringCodec::utf8))})),
            "f602f50402f50402636475746638616275746638");
  EXPECT_EQ(hex_of(Entity(String("A", StringCodec::utf16))), "f50504fffe41007574663136");
  EXPECT_EQ(hex_of(Entity(String("", StringCodec::utf16))), "f50502fffe7574663136");
  // Astral characters become surrogate pairs in UTF-16.
  EXPECT_EQ(hex_of(Entity(String("\xf0\x9f\x98\x80", StringCodec::utf16))), "f50506fffe3dd800de7574663136");

  // No channel codec → every string is f5 utf8.
  EncodeOptions none;
  none.channel_codec = std::nullopt;
  EXPECT_EQ(hex_of(Entity("a"), none), "f504016175746638");
  // A UTF-16 channel codec → f4 carrying UTF-16 (BOM + LE).
  EncodeOptions utf16;
  utf16.channel_codec = StringCodec::utf16;
  EXPECT_EQ(hex_of(Entity("A"), utf16), "f404fffe4100");
  // Explicit codec wins over the channel codec.
  EXPECT_EQ(hex_of(Entity(String("a", StringCodec::utf8)), utf16), "f504016175746638");
}

TEST(Encoder, FloatCodeFollowsBaseValue) {
  EXPECT_EQ(hex_of(Entity(Float{Integer(1), Integer(2), Integer(0)})), "fa0200");
  EXPECT_EQ(hex_of(Entity(Float{Integer(150), Integer(10), Integer(-2)})), "f9f73505");
  EXPECT_EQ(hex_of(Entity(Float{Integer(42), Integer(7), Integer(-5)})), "fb540e0b");
  EXPECT_EQ(hex_of(Entity(Float{Integer(1), Integer(256), Integer(-1)})), "fb02f8010903");
  EXPECT_EQ(hex_of(Entity(0.5)), "fa0203");
  EXPECT_EQ(hex_of(Entity(3.0)), "fa3007");
}

TEST(Encoder, IntegersAtBoundaries) {
  EXPECT_EQ(hex_of(Entity(-1)), "00");
  EXPECT_EQ(hex_of(Entity(237)), "ee");
  EXPECT_EQ(hex_of(Entity(238)), "ef00");
  EXPECT_EQ(hex_of(Entity(485)), "eff700");
  EXPECT_EQ(hex_of(Entity(INT64_MAX)), "effe7ffffffffffffe1a");
  EXPECT_EQ(hex_of(Entity(INT64_MIN)), "f0fe7fffffffffffff07");
  EXPECT_EQ(hex_of(Entity(UINT64_MAX)), "effefffffffffffffe1a");
  const Integer two64(Integer::Big(1) << 64);
  EXPECT_EQ(hex_of(Entity(two64)), "effefffffffffffffe1b");
  EXPECT_EQ(hex_of(Entity(Integer(Integer::Big(two64.to_big() + 485)))), "efff00010000000000000000");
  // Unsigned netbytes at 2^64 + 247: body of 9 bytes → ff U(0).
  EXPECT_EQ(hex_of(Entity(Integer(Integer::Big(-(two64.to_big() + 249))))), "f0ff00010000000000000000");
}

TEST(Encoder, LargeBytesAreReferencedNotCopied) {
  std::vector<std::uint8_t> data(1 << 20);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7);
  const Bytes payload(std::move(data));
  OutputBuffer out;
  ASSERT_FALSE(encode(Entity(Tuple{Entity(payload), Entity(1)}), out));
  EXPECT_EQ(out.size(), payload.size() + 8);
  bool found = false;
  for (const auto& c : out.chunks()) {
    if (c.data == payload.data()) {
      EXPECT_EQ(c.size, payload.size());
      found = true;
    }
  }
  EXPECT_TRUE(found) << "the payload chunk must point into the Bytes buffer";
  const auto flat = out.flatten();
  EXPECT_EQ(to_hex(std::span(flat).first(8)), "f602f3f90fff0902");
}

TEST(Encoder, SmallBytesAreCopiedIntoOneChunk) {
  OutputBuffer out;
  ASSERT_FALSE(encode(Entity(Tuple{Entity(bytes_of("ab")), Entity(bytes_of("cd"))}), out));
  EXPECT_EQ(out.chunks().size(), 1u);
  EXPECT_EQ(to_hex(out.flatten()), "f602f302f30263646162");
}

TEST(Encoder, OutputBufferAppendsAcrossEntities) {
  OutputBuffer out;
  ASSERT_FALSE(encode(Entity(1), out));
  ASSERT_FALSE(encode(Entity("a"), out));
  EXPECT_EQ(to_hex(out.flatten()), "02f40161");
  out.clear();
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(out.chunks().empty());
}

class Thing : public Object {};

TEST(Encoder, LiveObjectsNeedAResolver) {
  const Entity e(Tuple{Entity(1), Entity(std::make_shared<Thing>())});
  OutputBuffer out;
  out.append_byte(0x99);
  EXPECT_EQ(encode(e, out), Errc::unencodable);
  EXPECT_EQ(out.size(), 1u);  // nothing appended on error
  EXPECT_THROW(encode_to_vector(e), std::system_error);

  TestResolver resolver = TestResolver::owning_nothing();
  EncodeOptions opts;
  opts.refs = &resolver;
  EXPECT_EQ(hex_of(e, opts), "f60202fc02");
  EXPECT_EQ(resolver.encode_calls, 1);
}

TEST(Encoder, RawReferencesAreWrittenAsTheyAre) {
  EXPECT_EQ(hex_of(Entity(ObjectRef::raw(ObjectRef::Owner::sender, Integer(1)))), "fc02");
  EXPECT_EQ(hex_of(Entity(ObjectRef::raw(ObjectRef::Owner::receiver, Integer(7)))), "fd0e");
  EXPECT_EQ(hex_of(Entity(ObjectRef::raw(ObjectRef::Owner::receiver, Integer(-1)))), "fd03");
}

TEST(Encoder, FloatBaseBelowTwoIsUnencodable) {
  OutputBuffer out;
  EXPECT_EQ(encode(Entity(Float{Integer(1), Integer(1), Integer(0)}), out), Errc::unencodable);
  EXPECT_TRUE(out.empty());
}

TEST(Encoder, DeepNestingDoesNotUseTheCallStack) {
  Entity e(0);
  for (int i = 0; i < 100000; ++i) e = Entity(Tuple{std::move(e)});
  OutputBuffer out;
  ASSERT_FALSE(encode(e, out));
  EXPECT_EQ(out.size(), 200001u);
  // Entity's own destructor recurses; unwind iteratively to keep the test about the encoder.
  while (e.is<Tuple>() && !e.as_tuple().empty()) {
    Entity inner = e.as_tuple()[0];
    e = std::move(inner);
  }
}

}  // namespace
}  // namespace versile::codec
