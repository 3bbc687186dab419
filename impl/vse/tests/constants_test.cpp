#include <gtest/gtest.h>

#include "vse/stream/constants.hpp"
#include "vse/stream/stream_errors.hpp"

namespace vs = versile::stream;
namespace m = versile::stream::mode;

TEST(StreamerScenario, C23_ModeValidation) {
  EXPECT_FALSE(m::validate(0));
  EXPECT_FALSE(m::validate(m::writable | m::fixed_data));
  EXPECT_FALSE(m::validate(m::readable | m::can_move_start));
  EXPECT_TRUE(m::validate(m::readable | m::can_move_start | m::start_can_inc));
  EXPECT_FALSE(m::validate(m::readable | m::can_move_end));
  EXPECT_TRUE(m::validate(m::writable | m::can_move_end | m::end_can_dec));
  EXPECT_TRUE(m::validate(0x10001));
}

TEST(StreamConstants, BitValuesAreWireValues) {
  EXPECT_EQ(m::readable | m::start_bounded | m::end_bounded | m::fixed_data, 0x1045u);
  EXPECT_EQ(m::seek_rew, 0x0400u);
  EXPECT_EQ(m::seek_fwd, 0x0800u);
  EXPECT_EQ(m::end_lock | m::start_lock | m::data_lock, 0xE000u);
  EXPECT_EQ(m::readable | m::writable | m::start_bounded | m::end_bounded | m::end_can_dec |
                m::end_can_inc | m::can_move_end | m::seek_rew | m::seek_fwd,
            4039u);
}

TEST(StreamConstants, PositionReferences) {
  EXPECT_EQ(static_cast<int>(vs::PosRef::abs), 1);
  EXPECT_EQ(static_cast<int>(vs::PosRef::start), 2);
  EXPECT_EQ(static_cast<int>(vs::PosRef::end), 3);
  EXPECT_EQ(static_cast<int>(vs::PosRef::current), 4);
  EXPECT_FALSE(vs::is_wire_pos_ref(4));
  EXPECT_FALSE(vs::is_wire_pos_ref(0));
  EXPECT_EQ(vs::wire_pos_ref(3), vs::PosRef::end);
  EXPECT_EQ(vs::wire_pos_ref(4), std::nullopt);
}

TEST(StreamConstants, Defaults) {
  using namespace vs::defaults;
  EXPECT_EQ(byte_w_lim, byte_pkg * byte_size);
  EXPECT_EQ(entity_w_lim, entity_pkg * entity_size);
  EXPECT_EQ(half_step(byte_w_lim), 5'000'000);
  EXPECT_EQ(half_step(entity_w_lim), 5'000);
  EXPECT_EQ(half_step(7), 4);
  EXPECT_EQ(pkg(vs::ElementKind::bytes) + max_calls, 15);
}

TEST(StreamErrors, MessagesAreReferenceTexts) {
  EXPECT_EQ(std::error_code(vs::StreamErrc::illegal_truncate).message(),
            "Illecal truncate operation");
  EXPECT_EQ(std::error_code(vs::StreamErrc::invalid_peer_read_lim_args).message(),
            "Invalid peer_read_lim arguments");
  EXPECT_STREQ(vs::errc_message(vs::StreamErrc::read_push_after_eos),
               "Read push after end-of-stream");
  EXPECT_STREQ(vs::errc_name(vs::StreamErrc::write_limit_exceeded), "write_limit_exceeded");
  std::error_code ec = vs::StreamErrc::not_readable;
  EXPECT_EQ(&ec.category(), &vs::stream_category());
}

TEST(StreamErrors, ExceptionHierarchy) {
  EXPECT_THROW(vs::throw_context_error(2), vs::StreamInvalidPos);
  try {
    vs::throw_context_error(7);
    FAIL();
  } catch (const vs::StreamInvalidPos&) {
    FAIL() << "code 7 is a general error";
  } catch (const vs::StreamError&) {
  }
  // A timeout is a stream exception but not a stream error.
  try {
    throw vs::StreamTimeout();
  } catch (const vs::StreamError&) {
    FAIL();
  } catch (const vs::StreamException&) {
  }
  vs::StreamFailure f(vs::StreamErrc::link_lost);
  EXPECT_EQ(f.code(), vs::StreamErrc::link_lost);
  const vs::StreamError& as_error = f;
  EXPECT_STREQ(as_error.what(), "Link lost");
}
