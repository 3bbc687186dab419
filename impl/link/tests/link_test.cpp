// The thread-safe Link facade over the in-memory pair (threaded strand).
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "link/link.hpp"
#include "link/testing/memory_pair.hpp"
#include "link/testing_hooks.hpp"

namespace versile::link::test {
namespace {

using namespace std::chrono_literals;

class EchoTarget final : public Object, public CallTarget {
 public:
  void handle_call(CallRequest r) override {
    ++calls;
    const auto& name = r.args.at(0);
    if (name == Entity("throw")) throw std::runtime_error("native error");
    if (name == Entity("child")) {
      return r.responder.result(Entity(std::static_pointer_cast<Object>(std::make_shared<EchoTarget>())));
    }
    if (name == Entity("later")) {
      std::thread([resp = std::move(r.responder)]() mutable {
        std::this_thread::sleep_for(20ms);
        resp.result(Entity("late"));
      }).detach();
      return;
    }
    r.responder.result(Entity(r.args));
  }
  std::atomic<int> calls{0};
};

CallOutcome call_sync(Link& link, const std::shared_ptr<PeerObject>& target, Tuple args,
                      CallMode mode = CallMode::normal) {
  std::promise<CallOutcome> p;
  auto f = p.get_future();
  link.call(target, std::move(args), mode, [&p](CallOutcome o) { p.set_value(std::move(o)); });
  EXPECT_EQ(f.wait_for(5s), std::future_status::ready);
  return f.get();
}

struct LinkFixture : ::testing::Test {
  std::shared_ptr<EchoTarget> target = std::make_shared<EchoTarget>();
  testing::MemoryPair pair;
  void SetUp() override {
    LinkConfig b_cfg;
    b_cfg.gateway = target;
    pair = testing::make_memory_pair({}, b_cfg, /*threaded=*/true);
  }
  void TearDown() override {
    pair.a->shutdown();
    pair.b->shutdown();
    pair.a->wait_closed(2s);
    pair.b->wait_closed(2s);
    pair.loop->stop();
  }
};

TEST_F(LinkFixture, GatewayAndCall) {
  auto gw = pair.a->peer_gateway(5s);
  ASSERT_TRUE(gw);
  EXPECT_EQ(gw->link(), pair.a);
  auto o = call_sync(*pair.a, gw, Tuple{Entity("x"), Entity(1)});
  ASSERT_TRUE(o.is_result());
  EXPECT_EQ(o.value(), Entity(Tuple{Entity("x"), Entity(1)}));
  EXPECT_EQ(pair.a->status(), LinkStatus::running);
  auto hello = pair.a->peer_hello();
  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->licence, "LGPLv3");
}

TEST_F(LinkFixture, ThrowingHandlerAnswersCallError) {
  auto gw = pair.a->peer_gateway(5s);
  auto o = call_sync(*pair.a, gw, Tuple{Entity("throw")});
  ASSERT_TRUE(o.is_error());
  EXPECT_EQ(o.error(), make_error_code(Errc::call_error));
}

TEST_F(LinkFixture, ResponderCompletedLaterFromAnotherThread) {
  auto gw = pair.a->peer_gateway(5s);
  auto o = call_sync(*pair.a, gw, Tuple{Entity("later")});
  ASSERT_TRUE(o.is_result());
  EXPECT_EQ(o.value(), Entity("late"));
}

TEST_F(LinkFixture, ManyConcurrentCallersFromManyThreads) {
  auto gw = pair.a->peer_gateway(5s);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto o = call_sync(*pair.a, gw, Tuple{Entity("n"), Entity(t * 100 + i)});
        if (o.is_result() && o.value().as_tuple()[1] == Entity(t * 100 + i)) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(pair.a->stats().msg_id_gaps, 0u);
  EXPECT_EQ(pair.b->stats().msg_id_gaps, 0u);
}

bool eventually(const std::function<bool()>& cond) {
  for (int i = 0; i < 500; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return cond();
}

TEST_F(LinkFixture, ReleasingAPeerObjectOnAnyThreadSendsNotify) {
  auto gw = pair.a->peer_gateway(5s);
  // b's gateway only, once a dropped b's handshake object.
  ASSERT_TRUE(eventually([&] { return pair.b->stats().local_objects == 1u; }));
  auto o = call_sync(*pair.a, gw, Tuple{Entity("child")});
  ASSERT_TRUE(o.is_result());
  auto child = o.value().get<ObjectRef>().as<PeerObject>();
  ASSERT_TRUE(child);
  EXPECT_EQ(child->id(), 3u);
  o = CallOutcome::result(Entity());
  EXPECT_TRUE(eventually([&] { return pair.b->stats().local_objects == 2u; }));
  std::thread([c = std::move(child)]() mutable { c.reset(); }).join();
  EXPECT_TRUE(eventually([&] { return pair.b->stats().local_objects == 1u; }));
  EXPECT_TRUE(eventually([&] { return pair.a->stats().peer_objects == 1u; }));
}

TEST_F(LinkFixture, CloseListenersAndPendingCallsOnShutdown) {
  auto gw = pair.a->peer_gateway(5s);
  std::promise<std::error_code> closed;
  pair.a->add_close_listener([&](std::error_code ec) { closed.set_value(ec); });
  pair.a->shutdown();
  ASSERT_TRUE(pair.a->wait_closed(5s));
  auto f = closed.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(f.get());
  EXPECT_TRUE(pair.b->wait_closed(5s));
  EXPECT_EQ(pair.b->close_error(), make_error_code(Errc::peer_eof));
  // After close: calls complete synchronously with the reason; listeners run at once.
  auto o = call_sync(*pair.a, gw, Tuple{Entity("x")});
  EXPECT_TRUE(o.is_error());
  bool ran = false;
  pair.b->add_close_listener([&](std::error_code ec) {
    ran = true;
    EXPECT_EQ(ec, make_error_code(Errc::peer_eof));
  });
  EXPECT_TRUE(ran);
}

TEST_F(LinkFixture, ForcedShutdownFailsPeersPendingCall) {
  auto gw = pair.a->peer_gateway(5s);
  std::promise<CallOutcome> p;
  auto f = p.get_future();
  // "later" answers after 20 ms; b is aborted before.
  pair.a->call(gw, Tuple{Entity("later")}, CallMode::normal, [&](CallOutcome o) { p.set_value(o); });
  pair.b->shutdown(true);
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  auto o = f.get();
  ASSERT_TRUE(o.is_error());
  EXPECT_EQ(o.error(), make_error_code(Errc::transport_error));
  EXPECT_EQ(pair.b->close_error(), make_error_code(Errc::link_aborted));
}

TEST(LinkPair, ExecutorRunsIncomingCallsOffTheStrand) {
  auto target = std::make_shared<EchoTarget>();
  std::vector<std::thread> workers;
  std::mutex m;
  LinkConfig b_cfg;
  b_cfg.gateway = target;
  b_cfg.executor = [&](std::function<void()> task) {
    std::scoped_lock lock(m);
    workers.emplace_back(std::move(task));
  };
  auto pair = testing::make_memory_pair({}, b_cfg, true);
  auto gw = pair.a->peer_gateway(5s);
  auto o = call_sync(*pair.a, gw, Tuple{Entity("later")});
  EXPECT_TRUE(o.is_result());
  pair.a->shutdown();
  EXPECT_TRUE(pair.b->wait_closed(5s));
  pair.loop->stop();
  std::scoped_lock lock(m);
  for (auto& w : workers) w.join();
}

TEST(LinkPair, GatewayNotHeldIsDereferencedAndLinkClosesByGc) {
  LinkConfig cfg;
  cfg.hold_peer_gateway = false;
  auto pair = testing::make_memory_pair(cfg, cfg, true);
  // Neither side holds the other's gateway: NOTIFY/CONFIRM both ways, then GC shutdown (§7.5).
  EXPECT_TRUE(pair.a->wait_closed(5s));
  EXPECT_TRUE(pair.b->wait_closed(5s));
  EXPECT_FALSE(pair.a->close_error());
  std::error_code ec;
  EXPECT_FALSE(pair.a->peer_gateway(10ms, ec));
  EXPECT_TRUE(ec);
  pair.loop->stop();
}

TEST(LinkPair, ManualLoopIsDeterministic) {
  auto pair = testing::make_memory_pair({}, {}, false);
  pair.loop->run_until_idle();
  EXPECT_EQ(pair.a->status(), LinkStatus::running);
  EXPECT_EQ(pair.b->status(), LinkStatus::running);
  std::error_code ec;
  auto gw = pair.a->peer_gateway(0ms, ec);
  ASSERT_TRUE(gw) << ec.message();
  std::optional<CallOutcome> got;
  pair.a->call(gw, Tuple{Entity("x")}, CallMode::normal, [&](CallOutcome o) { got = o; });
  EXPECT_FALSE(got);
  pair.loop->run_until_idle();
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->is_error());  // b's default gateway is not a CallTarget
  // Releasing a's only external handle does not deref (the Link holds the gateway).
  gw.reset();
  pair.loop->run_until_idle();
  EXPECT_EQ(pair.b->stats().local_objects, 1u);
  // Hooks: a message id gap from a is accepted and counted by b.
  testing::Hooks::with_core(*pair.a, [](LinkCore& core) { testing::Hooks::override_next_msg_id(core, 100); });
  pair.a->call(pair.a->peer_gateway(0ms), Tuple{Entity("x")}, CallMode::no_return, {});
  pair.loop->run_until_idle();
  EXPECT_EQ(pair.b->stats().msg_id_gaps, 1u);
  pair.a->shutdown();
  pair.loop->run_until_idle();
  EXPECT_EQ(pair.a->status(), LinkStatus::closed);
  EXPECT_EQ(pair.b->status(), LinkStatus::closed);
}

}  // namespace
}  // namespace versile::link::test
