// The conformance gateway served over an in-memory link pair and called through a Proxy.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "gateway/conformance_gateway.hpp"
#include "link/link.hpp"
#include "link/testing/memory_pair.hpp"
#include "object/call_executor.hpp"
#include "object/external.hpp"
#include "object/proxy.hpp"
#include "object/remote_exception.hpp"
#include "vse/stream/streamer_proxy.hpp"

namespace vpstream::conformance {
namespace {

using namespace std::chrono_literals;
using versile::Entity;

class GatewayOverLink : public ::testing::Test {
 protected:
  void SetUp() override {
    versile::link::LinkConfig server;
    server.gateway = make_gateway();
    server.executor = executor.executor();
    pair = versile::link::testing::make_memory_pair({}, server, /*threaded=*/true);
    gw = versile::Proxy(pair.a->peer_gateway(5s));
  }
  void TearDown() override {
    gw = versile::Proxy();
    pair.a->shutdown();
    pair.b->wait_closed(5s);
    pair.loop->stop();
  }
  versile::CallExecutor executor;
  versile::link::testing::MemoryPair pair;
  versile::Proxy gw;
};

versile::Integer big(const char* decimal) { return *versile::Integer::from_decimal(decimal); }

TEST_F(GatewayOverLink, Echo) {
  const Entity values[] = {
      Entity{}, Entity(true), Entity(-5), Entity(big("-123456789012345678901234567890")),
      Entity(0.375), Entity(versile::Bytes(std::string_view("\x00\xff", 2))), Entity("text"),
      Entity(versile::Tuple{1, versile::Tuple{}, "x"}),
      Entity(versile::Exception{versile::Tuple{"e", 1}}),
      Entity(versile::Tagged(Entity(1), {Entity(21), Entity(2)}))};
  for (const Entity& v : values) EXPECT_EQ(gw.call("echo", v), v) << versile::to_display_string(v);
  // Objects: the peer's object comes back as the same proxy.
  auto sorter = gw.call("name_sorter").as<versile::Proxy>();
  EXPECT_EQ(gw.call("echo", sorter).as<versile::Proxy>(), sorter);
}

TEST_F(GatewayOverLink, AddIntegersOfAnySize) {
  EXPECT_EQ(gw.call("add", 2, 3), Entity(5));
  EXPECT_EQ(gw.call("add", INT64_MAX, 1), Entity(big("9223372036854775808")));
  EXPECT_EQ(gw.call("add", big("10000000000000000000000000000000000000000"),
                    big("-1180591620717411303424")),
            Entity(big("9999999999999999998819408379282588696576")));
  EXPECT_THROW(gw.call("add", "2", 3), versile::CallError);
  EXPECT_THROW(gw.call("add", 2.0, 3), versile::CallError);
  EXPECT_THROW(gw.call("add", 2), versile::CallError);
}

TEST_F(GatewayOverLink, FailRaisesVExceptionWithTheMessage) {
  try {
    gw.call("fail", "boom");
    FAIL() << "no exception";
  } catch (const versile::RemoteException& e) {
    EXPECT_EQ(e.value(), Entity(versile::Exception{versile::Tuple{"boom"}}));
    EXPECT_STREQ(e.what(), "remote exception: boom");
  }
}

TEST_F(GatewayOverLink, NameSorter) {
  auto sorter = gw.call("name_sorter").as<versile::Proxy>();
  auto other = gw.call("name_sorter").as<versile::Proxy>();
  EXPECT_FALSE(sorter == other);  // a new object per call
  for (int i : {5, 3, 4, 1, 2}) sorter.call("add", "John Doe #" + std::to_string(i));
  other.call("add", "zz");
  // reset() returns an entity streamer proxy; read it with a minimal stream peer that takes
  // the one eos push of the recipe (stream.md §11.1).
  auto read_names = [](const versile::Entity& tagged) {
    auto proxy = tagged.as<versile::stream::EntityStreamerProxy>();
    EXPECT_EQ(proxy.mode(), 4165);
    auto streamer = versile::Entity(proxy.streamer()).as<versile::Proxy>();
    auto peer = std::make_shared<versile::External>();
    std::promise<versile::Tuple> pushed;
    peer->publish_deferred("peer_set_start_pos",
                           [](versile::DeferredCall& c) { c.responder.result({}); });
    peer->publish_deferred("peer_read_push", [&pushed](versile::DeferredCall& c) {
      pushed.set_value(c.args.at(2).as_tuple());
      c.responder.result({});
    });
    streamer.call("peer_connect", peer, 15, 10, 1000);
    streamer.call("peer_read_start", 0, Entity(), Entity(), true);
    streamer.call("peer_read_lim", 1, 10000);
    std::vector<std::string> names;
    for (const auto& e : pushed.get_future().get()) names.push_back(e.as_string());
    return names;
  };
  EXPECT_EQ(read_names(sorter.call("reset")),
            (std::vector<std::string>{"John Doe #1", "John Doe #2", "John Doe #3", "John Doe #4",
                                      "John Doe #5"}));
  EXPECT_TRUE(read_names(sorter.call("reset")).empty());  // emptied
  EXPECT_EQ(read_names(other.call("reset")), std::vector<std::string>{"zz"});
  EXPECT_EQ(sorter.meta_methods(), (std::vector<std::string>{"add", "reset"}));
}

TEST_F(GatewayOverLink, UnlistedMethodsAreCallErrors) {
  try {
    gw.call("no_such_method");
    FAIL() << "no error";
  } catch (const versile::CallError& e) {
    EXPECT_EQ(e.code(), versile::CallErrc::remote_error);
  }
  const auto names = gw.meta_methods();
  for (const char* m : {"add", "echo", "fail", "name_sorter"}) {
    EXPECT_NE(std::ranges::find(names, std::string(m)), names.end()) << m;
  }
  EXPECT_TRUE(std::ranges::is_sorted(names));
}

}  // namespace
}  // namespace vpstream::conformance
