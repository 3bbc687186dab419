// Stream buffers (stream.md §10.5).
#include <gtest/gtest.h>

#include "vse/stream/stream_buffer.hpp"
#include "vse/stream/stream_errors.hpp"

namespace versile::stream {
namespace {

TEST(StreamBuffer, BytePositionsAndSlices) {
  ByteStreamBuffer b;
  b.new_context(10);
  EXPECT_EQ(b.rpos(), 10);
  b.write(Entity(Bytes(std::string_view("abc"))));
  b.write(Entity(Bytes(std::string_view("defg"))));
  EXPECT_EQ(b.wpos(), 17);
  EXPECT_EQ(b.max_read(), 7u);
  EXPECT_EQ(b.read(2).as_bytes().view(), "ab");
  EXPECT_EQ(b.read(3).as_bytes().view(), "cde");  // spans two packages
  EXPECT_EQ(b.rpos(), 15);
  EXPECT_EQ(b.read(10).as_bytes().view(), "fg");
  EXPECT_EQ(b.read(10).as_bytes().size(), 0u);
  EXPECT_EQ(b.rpos(), 17);
  b.write(Entity(Bytes(std::string_view("xyz"))), true);  // send path: positions only
  EXPECT_EQ(b.wpos(), 20);
  EXPECT_EQ(b.rpos(), 20);
  EXPECT_EQ(b.max_read(), 0u);
  EXPECT_THROW(b.write(Entity("text")), StreamError);
  b.end_context();
  EXPECT_EQ(b.rpos(), 0);
}

TEST(StreamBuffer, ByteReadWithinPackageSharesStorage) {
  ByteStreamBuffer b;
  Bytes data(std::string_view("0123456789"));
  b.write(Entity(data));
  Entity first = b.read(4);
  EXPECT_EQ(first.as_bytes().data(), data.data());
  EXPECT_EQ(b.read(100).as_bytes().data(), data.data() + 4);
}

TEST(StreamBuffer, EntityPackages) {
  EntityStreamBuffer b;
  b.write(Entity(Tuple{Entity(1), Entity(2)}));
  b.write(Entity(Tuple{Entity(3)}));
  EXPECT_THROW(b.write(Entity(Bytes())), StreamError);
  EXPECT_EQ(b.read(1), Entity(Tuple{Entity(1)}));
  EXPECT_EQ(b.read(5), Entity(Tuple{Entity(2), Entity(3)}));
  EXPECT_EQ(b.read(5), Entity(Tuple()));
  EXPECT_EQ(b.empty_data(), Entity(Tuple()));
  EXPECT_EQ(b.len_data(Entity(Tuple{Entity(1), Entity(2)})), 2u);
}

TEST(StreamBuffer, ReadAcrossManyPackagesTakesWholeOnesAndSlicesTheEnds) {
  EntityStreamBuffer e;
  e.write(Entity(Tuple{Entity(1), Entity(2)}));
  e.write(Entity(Tuple{Entity(3)}));
  e.write(Entity(Tuple{Entity(4), Entity(5), Entity(6)}));
  e.write(Entity(Tuple{Entity(7)}));
  EXPECT_EQ(e.read(1), Entity(Tuple{Entity(1)}));
  EXPECT_EQ(e.read(4), Entity(Tuple{Entity(2), Entity(3), Entity(4), Entity(5)}));
  EXPECT_EQ(e.max_read(), 2u);
  EXPECT_EQ(e.rpos(), 5);
  EXPECT_EQ(e.read(9), Entity(Tuple{Entity(6), Entity(7)}));
  EXPECT_EQ(e.max_read(), 0u);

  ByteStreamBuffer b;
  Bytes whole(std::string_view("abc"));
  b.write(Entity(whole));
  b.write(Entity(Bytes(std::string_view("de"))));
  b.write(Entity(Bytes(std::string_view("fgh"))));
  EXPECT_EQ(b.read(3).as_bytes().data(), whole.data());  // a whole package is handed out as is
  EXPECT_EQ(b.read(4).as_bytes().view(), "defg");
  EXPECT_EQ(b.read(4).as_bytes().view(), "h");
  EXPECT_EQ(b.rpos(), 8);
  EXPECT_EQ(b.wpos(), 8);
}

TEST(StreamBuffer, FirstAndSkipOfAPackage) {
  ByteStreamBuffer b;
  const Entity bytes(Bytes(std::string_view("hello")));
  EXPECT_EQ(b.first(bytes, 2).as_bytes().view(), "he");
  EXPECT_EQ(b.first(bytes, 9).as_bytes().data(), bytes.as_bytes().data());
  EXPECT_EQ(b.skip(bytes, 3).as_bytes().view(), "lo");
  EXPECT_EQ(b.skip(bytes, 9).as_bytes().size(), 0u);
  EXPECT_EQ(b.skip(bytes, 0).as_bytes().data(), bytes.as_bytes().data());

  EntityStreamBuffer e;
  const Entity items(Tuple{Entity(1), Entity(2), Entity(3)});
  EXPECT_EQ(e.first(items, 2), Entity(Tuple{Entity(1), Entity(2)}));
  EXPECT_EQ(e.first(items, 3), items);
  EXPECT_EQ(e.skip(items, 1), Entity(Tuple{Entity(2), Entity(3)}));
  EXPECT_EQ(e.skip(items, 5), Entity(Tuple()));
}

}  // namespace
}  // namespace versile::stream
