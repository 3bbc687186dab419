// Built-in streamer data (stream.md §10.2–§10.4).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "vse/stream/file_data.hpp"
#include "vse/stream/fixed_data.hpp"
#include "vse/stream/iterator_data.hpp"
#include "vse/stream/stream_errors.hpp"

using namespace versile;
using namespace versile::stream;

namespace {
std::filesystem::path temp_file(std::string_view contents) {
  static int n = 0;
  auto p = std::filesystem::temp_directory_path() /
           ("vpstream-data-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  std::ofstream(p, std::ios::binary) << contents;
  return p;
}
std::string text(const Entity& e) { return std::string(e.as_bytes().view()); }
}  // namespace

TEST(FixedBytesData, ReadSeekClose) {
  FixedBytesData d(Bytes(std::string_view("0123456789")));
  EXPECT_EQ(text(d.read(4)), "0123");
  EXPECT_EQ(d.pos(), 4);
  EXPECT_EQ(d.seek(-3, PosRef::end), 7);
  EXPECT_EQ(text(d.read(100)), "789");
  EXPECT_EQ(text(d.read(1)), "");
  EXPECT_EQ(d.seek(-2, PosRef::current), 8);
  EXPECT_THROW(d.seek(11, PosRef::abs), StreamError);
  EXPECT_THROW(d.seek(-1, PosRef::start), StreamError);
  EXPECT_EQ(d.pos(), 8);  // a failed seek does not move
  EXPECT_EQ(d.endpoints(), (Endpoints{0, 10}));
  EXPECT_EQ(d.req_mode().bits, 0x1045u);
  EXPECT_EQ(d.req_mode().mask, 0xF3FFu);
  EXPECT_EQ(d.opt_mode(), 0x0C00u);
  d.close();
  EXPECT_THROW(d.read(1), StreamError);
  EXPECT_THROW(d.seek(0, PosRef::abs), StreamError);
}

TEST(FixedEntitiesData, ReadsTuples) {
  FixedEntitiesData d(std::vector<Entity>{1, "two", 3});
  EXPECT_EQ(d.read(2), Entity(Tuple{1, "two"}));
  EXPECT_EQ(d.read(2), Entity(Tuple{3}));
  EXPECT_EQ(d.read(2), Entity(Tuple{}));
}

TEST(IteratorEntitiesData, PrefetchAndEndpoints) {
  int produced = 0;
  IteratorEntitiesData d(
      [&]() -> std::optional<Entity> {
        if (produced >= 5) return std::nullopt;
        return Entity(produced++);
      },
      2);
  EXPECT_EQ(produced, 2);  // prefetched buf_len items
  EXPECT_EQ(d.endpoints(), (Endpoints{0, 2}));
  EXPECT_EQ(d.read(3), Entity(Tuple{0, 1, 2}));
  EXPECT_EQ(d.pos(), 3);
  EXPECT_EQ(d.endpoints(), (Endpoints{3, 5}));
  EXPECT_EQ(d.read(3), Entity(Tuple{3, 4}));
  EXPECT_EQ(d.read(3), Entity(Tuple{}));
  EXPECT_THROW(d.seek(0, PosRef::abs), StreamError);
  EXPECT_EQ(d.req_mode().mask, 0xFFFFu);
  d.close();
  EXPECT_THROW(d.read(1), StreamError);
  EXPECT_THROW((void)d.endpoints(), StreamError);
}

TEST(IteratorEntitiesData, GeneratorExceptionIsStreamError) {
  int calls = 0;
  IteratorEntitiesData d(
      [&]() -> std::optional<Entity> {
        if (++calls > 1) throw std::runtime_error("boom");
        return Entity(1);
      },
      1);
  EXPECT_THROW(d.read(5), StreamError);
}

TEST(SimpleFileData, ModeMasksOfSpecExamples) {
  auto p = temp_file("0123456789");
  {
    SimpleFileData r(p, "r", true, false);
    EXPECT_EQ(r.req_mode().bits, 0x0044u);
    EXPECT_EQ(r.req_mode().mask, 0x0BDEu);
    EXPECT_EQ(r.opt_mode(), 0xE401u);
  }
  {
    SimpleFileData rp(p, "r+b", true, true);
    EXPECT_EQ(rp.req_mode().mask, 0x005Cu);
    EXPECT_EQ(rp.opt_mode(), 0xEF83u);
  }
  {
    SimpleFileData w(p, "w", true, false);
    EXPECT_EQ(w.req_mode().mask, 0x085Du);
    EXPECT_EQ(w.opt_mode(), 0xE782u);
    EXPECT_EQ(w.endpoints(), (Endpoints{0, 0}));  // w truncates
  }
  {
    SimpleFileData a(p, "a");
    EXPECT_FALSE(a.readable());
    EXPECT_FALSE(a.writable());
  }
  EXPECT_THROW(SimpleFileData(p, "rt"), std::invalid_argument);
  EXPECT_THROW(SimpleFileData(p.string() + "-missing-dir/x", "r"), StreamError);
  std::filesystem::remove(p);
}

TEST(SimpleFileData, ReadWriteSeekTruncate) {
  auto p = temp_file("0123456789");
  SimpleFileData f(p, "r+");
  EXPECT_EQ(text(f.read(3)), "012");
  EXPECT_EQ(f.seek(-2, PosRef::end), 8);
  EXPECT_THROW(f.seek(1, PosRef::end), StreamError);
  EXPECT_THROW(f.seek(-11, PosRef::end), StreamError);
  EXPECT_THROW(f.seek(11, PosRef::abs), StreamError);
  EXPECT_THROW(f.seek(0, PosRef::current), StreamError);
  f.write(Entity(Bytes(std::string_view("XYZW"))));  // extends past the end
  EXPECT_EQ(f.endpoints(), (Endpoints{0, 12}));
  f.seek(4, PosRef::abs);
  f.trunc_after();
  EXPECT_EQ(f.endpoints(), (Endpoints{0, 4}));
  f.seek(0, PosRef::abs);
  EXPECT_EQ(text(f.read(100)), "0123");
  f.close();
  EXPECT_THROW(f.read(1), StreamError);
  std::filesystem::remove(p);
}
