// VEC hello line (entities.md §9, link.md §3.1) and f5 codec-name parsing (§7).
#include <gtest/gtest.h>

#include <string>

#include "codec/error.hpp"
#include "codec/vec_channel.hpp"

namespace versile::codec {
namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(VecHello, OwnLine) {
  EXPECT_EQ(vec_hello_line(), "VEC_DRAFT-0.8-utf8\n");
  EXPECT_EQ(vec_hello_line(StringCodec::utf8).size(), 19u);
  EXPECT_EQ(vec_hello_line(StringCodec::utf16), "VEC_DRAFT-0.8-utf16\n");
  EXPECT_EQ(vec_hello_line(std::nullopt), "VEC_DRAFT-0.8\n");
}

struct HelloCase {
  std::string line;
  bool accepted;
  std::optional<StringCodec> codec;
};

const std::string k32 = "VEC_DRAFT-" + std::string(19, '0') + ".8\n";   // 32 bytes incl. LF
const std::string k33 = "VEC_DRAFT-" + std::string(20, '0') + ".8\n";   // 33 bytes

const std::vector<HelloCase> kCases = {
    {"VEC_DRAFT-0.8-utf8\n", true, StringCodec::utf8},
    {"VEC_DRAFT-0.8-utf16\n", true, StringCodec::utf16},
    {"VEC_DRAFT-0.8\n", true, std::nullopt},
    {"VEC_DRAFT-00.8\n", true, std::nullopt},       // VPy compares numerically
    {"VEC_DRAFT-0.08-utf8\n", true, StringCodec::utf8},
    {"VEC_DRAFT-000.0008-utf16\n", true, StringCodec::utf16},
    {k32, true, std::nullopt},
    {k33, false, std::nullopt},                      // no LF within 32 bytes
    {"VEC_DRAFT-0.8-\n", false, std::nullopt},       // empty codec: VPy rejects
    {"VEC_DRAFT-0.8-UTF8\n", false, std::nullopt},   // codec must be exactly utf8/utf16
    {"VEC_DRAFT-0.8-utf-8\n", false, std::nullopt},  // (also a 4th field)
    {"VEC_DRAFT-0.8-latin1\n", false, std::nullopt},
    {"VEC_DRAFT-0.8-utf8-x\n", false, std::nullopt},
    {"VEC_DRAFT-0.8-utf8\r\n", false, std::nullopt},
    {"VEC_DRAFT-0.8\r\n", false, std::nullopt},
    {"VEC_DRAFT\n", false, std::nullopt},
    {"\n", false, std::nullopt},
    {"VEC_DRAFT-\n", false, std::nullopt},
    {"VEC_DRAFT-0.9\n", false, std::nullopt},
    {"VEC_DRAFT-1.8\n", false, std::nullopt},
    {"VEC_DRAFT-0.8.0\n", false, std::nullopt},
    {"VEC_DRAFT-0\n", false, std::nullopt},
    {"VEC_DRAFT-8\n", false, std::nullopt},
    {"VEC_DRAFT-.8\n", false, std::nullopt},
    {"VEC_DRAFT-0.\n", false, std::nullopt},
    {"VEC_DRAFT-0..8\n", false, std::nullopt},
    {"VEC_DRAFT-+0.8\n", false, std::nullopt},
    {"VEC_DRAFT- 0.8\n", false, std::nullopt},
    {"VEC_DRAFT-0.8 \n", false, std::nullopt},
    {"VEC_DRAFT-0,8\n", false, std::nullopt},
    {"vec_draft-0.8\n", false, std::nullopt},
    {"VEC-0.8-utf8\n", false, std::nullopt},
    {"VOP_DRAFT-0.8\n", false, std::nullopt},
    {" VEC_DRAFT-0.8\n", false, std::nullopt},
};

TEST(VecHello, AcceptRejectTableWhole) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.line);
    VecHelloParser p;
    const auto r = p.feed(bytes_of(c.line));
    if (c.accepted) {
      ASSERT_EQ(r.status, VecHelloParser::Status::done) << r.error.message();
      EXPECT_EQ(r.consumed, c.line.size());
      EXPECT_EQ(p.peer_codec(), c.codec);
    } else {
      ASSERT_EQ(r.status, VecHelloParser::Status::error);
      EXPECT_EQ(r.error, Errc::bad_vec_header);
      EXPECT_LE(r.consumed, kVecHelloMaxBytes);
    }
  }
}

TEST(VecHello, AcceptRejectTableByteByByte) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.line);
    VecHelloParser p;
    VecHelloParser::Result r;
    std::size_t fed = 0;
    for (char ch : c.line) {
      const auto b = static_cast<std::uint8_t>(ch);
      r = p.feed(std::span<const std::uint8_t>(&b, 1));
      ++fed;
      if (r.status != VecHelloParser::Status::need_more) break;
      EXPECT_EQ(r.consumed, 1u);
    }
    EXPECT_EQ(r.status, c.accepted ? VecHelloParser::Status::done : VecHelloParser::Status::error);
    if (c.accepted) {
      EXPECT_EQ(fed, c.line.size());
    }
  }
}

TEST(VecHello, LongLineFailsAtByte32WithoutWaitingForLf) {
  VecHelloParser p;
  const std::string junk(100, 'A');
  const auto r = p.feed(bytes_of(junk));
  EXPECT_EQ(r.status, VecHelloParser::Status::error);
  EXPECT_EQ(r.consumed, 32u);
  // Stays failed.
  EXPECT_EQ(p.feed(bytes_of("VEC_DRAFT-0.8\n")).status, VecHelloParser::Status::error);
}

TEST(VecHello, BytesAfterTheLineAreLeftForTheEntityDecoder) {
  VecHelloParser p;
  const std::string data("VEC_DRAFT-0.8-utf8\n\xf6\x00", 21);
  const auto r = p.feed(bytes_of(data));
  ASSERT_EQ(r.status, VecHelloParser::Status::done);
  EXPECT_EQ(r.consumed, 19u);
  EXPECT_EQ(p.peer_codec(), StringCodec::utf8);
  EXPECT_EQ(p.feed(bytes_of(data)).consumed, 0u);  // done: consumes nothing more
}

TEST(VecHello, IncompleteLineNeedsMore) {
  VecHelloParser p;
  const auto r = p.feed(bytes_of("VEC_DRAFT-0.8-ut"));
  EXPECT_EQ(r.status, VecHelloParser::Status::need_more);
  EXPECT_EQ(r.consumed, 16u);
  const auto r2 = p.feed(bytes_of("f16\n"));
  EXPECT_EQ(r2.status, VecHelloParser::Status::done);
  EXPECT_EQ(p.peer_codec(), StringCodec::utf16);
}

TEST(CodecNames, AcceptedSpellings) {
  for (const char* n : {"utf8", "UTF8", "Utf8", "utf-8", "UTF-8", "utf_8"}) {
    EXPECT_EQ(parse_codec_name(n), StringCodec::utf8) << n;
  }
  for (const char* n : {"utf16", "UTF16", "utf-16", "UTF_16", "uTf-16"}) {
    EXPECT_EQ(parse_codec_name(n), StringCodec::utf16) << n;
  }
  for (const char* n : {"", "u", "utf", "utf-", "utf--8", "utf-_8", "utf32", "utf7", "utf 8", "utf8 ",
                        " utf8", "latin-1", "ascii", "utf-16le", "utf16-", "utf-8\n", "utf08"}) {
    EXPECT_EQ(parse_codec_name(n), std::nullopt) << n;
  }
}

TEST(ErrorCategory, StableTokens) {
  EXPECT_STREQ(errc_name(Errc::bad_type_code), "bad_type_code");
  EXPECT_STREQ(errc_name(Errc::entity_too_large), "entity_too_large");
  EXPECT_STREQ(errc_name(Errc::bad_vec_header), "bad_vec_header");
  EXPECT_STREQ(codec_category().name(), "vp_codec");
  const std::error_code ec = Errc::unknown_remote_id;
  EXPECT_EQ(&ec.category(), &codec_category());
  EXPECT_FALSE(ec.message().empty());
  for (int i = 1; i <= static_cast<int>(Errc::bad_vec_header); ++i) {
    const std::string name = errc_name(static_cast<Errc>(i));
    EXPECT_NE(name, "unknown");
    for (char c : name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << name;
  }
}

}  // namespace
}  // namespace versile::codec
