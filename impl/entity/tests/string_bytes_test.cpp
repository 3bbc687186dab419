#include <gtest/gtest.h>

#include <string>

#include "entity/entity.hpp"

namespace versile {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  for (const std::string& s : {std::string(""), std::string("abc"), std::string("\0", 1),
                              std::string("\xc2\x80"), std::string("\xdf\xbf"), std::string("\xe0\xa0\x80"),
                              std::string("\xed\x9f\xbf"),  // U+D7FF, just below the surrogates
                              std::string("\xee\x80\x80"),  // U+E000, just above
                              std::string("\xef\xbb\xbf"),  // U+FEFF kept
                              std::string("\xef\xbf\xbf"),  // U+FFFF non-character is ordinary
                              std::string("\xf0\x90\x80\x80"), std::string("\xf0\x9f\x98\x80"),
                              std::string("\xf4\x8f\xbf\xbf")}) {  // U+10FFFF
    EXPECT_TRUE(is_valid_utf8(s)) << s;
    EXPECT_NO_THROW((void)String{s});
  }
}

TEST(Utf8, RejectsMalformedText) {
  for (const std::string& s : {
           std::string("\x80"),              // stray continuation
           std::string("a\xbf"),             // stray continuation after ASCII
           std::string("\xc0\x80"),          // overlong NUL
           std::string("\xc1\xbf"),          // overlong
           std::string("\xe0\x80\x80"),      // overlong 3-byte
           std::string("\xe0\x9f\xbf"),      // overlong 3-byte (upper edge)
           std::string("\xf0\x80\x80\x80"),  // overlong 4-byte
           std::string("\xf0\x8f\xbf\xbf"),  // overlong 4-byte (upper edge)
           std::string("\xed\xa0\x80"),      // U+D800
           std::string("\xed\xbf\xbf"),      // U+DFFF
           std::string("\xed\xa0\xbd\xed\xb8\x80"),  // CESU-8 surrogate pair
           std::string("\xf4\x90\x80\x80"),  // U+110000
           std::string("\xf5\x80\x80\x80"), std::string("\xf8\x88\x80\x80\x80"), std::string("\xfe"),
           std::string("\xff"),
           std::string("\xc3"),              // truncated 2-byte
           std::string("\xe2\x82"),          // truncated 3-byte
           std::string("\xf0\x9f\x98"),      // truncated 4-byte
           std::string("\xe2\x28\xa1"),      // bad continuation
           std::string("\xf0\x9f\x98\x28"),  // bad last continuation
       }) {
    EXPECT_FALSE(is_valid_utf8(s)) << ::testing::PrintToString(s);
    EXPECT_THROW((void)String{s}, EntityTypeError);
    EXPECT_THROW((void)Entity(s), EntityTypeError);
  }
}

TEST(String, CodecIsIgnoredByEquality) {
  const String plain("x");
  const String utf16("x", StringCodec::utf16);
  EXPECT_EQ(plain, utf16);
  EXPECT_EQ(Entity(plain).hash(), Entity(utf16).hash());
  EXPECT_EQ(utf16.explicit_codec(), StringCodec::utf16);
  EXPECT_EQ(plain.explicit_codec(), std::nullopt);
  // trusted() skips validation (for the decoder, which validated already).
  EXPECT_EQ(String::trusted("abc").str(), "abc");
}

TEST(Bytes, SharedBufferAndSlices) {
  const Bytes b(std::string_view("hello world"));
  EXPECT_EQ(b.size(), 11u);
  const Bytes world = b.slice(6);
  EXPECT_EQ(world.view(), "world");
  EXPECT_EQ(world.data(), b.data() + 6);  // no copy
  EXPECT_EQ(b.slice(6, 3).view(), "wor");
  EXPECT_EQ(b.slice(6, 100).view(), "world");
  EXPECT_TRUE(b.slice(11).empty());
  EXPECT_TRUE(b.slice(50, 2).empty());
  EXPECT_EQ(world, Bytes(std::string_view("world")));
  EXPECT_EQ(world.hash(), Bytes(std::string_view("world")).hash());
  EXPECT_NE(world, b);
  EXPECT_EQ(Bytes(), Bytes(std::vector<std::uint8_t>{}));
  EXPECT_TRUE(Bytes().view().empty());
  const Bytes copy = world;
  EXPECT_EQ(copy.shared_data(), world.shared_data());
  // Adopting an external buffer.
  auto owner = std::make_shared<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{1, 2, 3});
  const Bytes adopted(std::shared_ptr<const std::uint8_t>(owner, owner->data()), owner->size());
  EXPECT_EQ(adopted.data(), owner->data());
  EXPECT_EQ(adopted, Bytes(std::vector<std::uint8_t>{1, 2, 3}));
  const Bytes binary(std::string_view("\x00\xff", 2));
  EXPECT_EQ(binary.span()[1], 0xff);
}

}  // namespace
}  // namespace versile
