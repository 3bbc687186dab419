// Proxies and Externals over a real link pair (in-memory transport, threaded strand):
// call modes, conversions, exceptions, meta calls, objects both ways, concurrency, link loss.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "link/link.hpp"
#include "link/testing/memory_pair.hpp"
#include "object/call_executor.hpp"
#include "object/external.hpp"
#include "object/proxy.hpp"
#include "object/remote_exception.hpp"

namespace versile {
namespace {

using namespace std::chrono_literals;

// The recipe's object, with a plain sorted tuple as the reset() result.
class NameSorter : public External {
 public:
  NameSorter() {
    publish("add", &NameSorter::add);
    publish("reset", &NameSorter::reset);
  }
  void add(std::string name) {
    std::scoped_lock l{m_};
    names_.push_back(std::move(name));
  }
  std::vector<std::string> reset() {
    std::vector<std::string> names;
    {
      std::scoped_lock l{m_};
      names.swap(names_);
    }
    std::ranges::sort(names);
    return names;
  }

 private:
  std::mutex m_;
  std::vector<std::string> names_;
};

class Child : public External {
 public:
  explicit Child(std::string name) : name_(std::move(name)) {
    publish("hello", &Child::hello);
  }
  std::string hello() const { return "hi from " + name_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// A gate the test opens to release blocked methods.
class Gate {
 public:
  void open() {
    {
      std::scoped_lock l{m_};
      open_ = true;
    }
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock l{m_};
    return cv_.wait_for(l, timeout, [&] { return open_; });
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
};

class Service : public External {
 public:
  Service() : External("the test service") {
    publish("add", [](Integer a, Integer b) { return Integer(a.to_big() + b.to_big()); },
            {.doc = "adds two integers"});
    publish("echo", [](Entity e) { return e; });
    publish("concat", [](std::string a, std::string b) { return a + b; });
    publish("fail", [](std::string message) -> void { throw VException(message, 7); });
    publish("native_fail", []() -> int { throw std::runtime_error("native"); });
    publish("note", &Service::note);
    publish("notes", &Service::notes);
    publish("child", [](std::string name) { return std::make_shared<Child>(std::move(name)); });
    publish("child_name", [](std::shared_ptr<Child> child) { return child->name(); });
    publish("call_back", [](Proxy callback, std::int64_t x) {
      // Runs on the executor, so it may block on a call to the peer.
      return callback.call("twice", x).as<std::int64_t>() + 1;
    });
    publish("slow", [this](std::int64_t id) {
      entered_.fetch_add(1);
      gate_.wait(10s);
      return id;
    });
    publish_deferred("deferred", [this](DeferredCall& call) {
      std::scoped_lock l{deferred_mutex_};
      deferred_.push_back(std::move(call));
    });
  }

  void note(std::int64_t v) {
    std::scoped_lock l{m_};
    notes_.push_back(v);
  }
  std::vector<std::int64_t> notes() {
    std::scoped_lock l{m_};
    return notes_;
  }

  Gate gate_;
  std::atomic<int> entered_{0};
  std::mutex deferred_mutex_;
  std::vector<DeferredCall> deferred_;

 private:
  std::mutex m_;
  std::vector<std::int64_t> notes_;
};

class Callbacks : public External {
 public:
  Callbacks() { publish("twice", [](std::int64_t x) { return 2 * x; }); }
};

class ProxyOverLink : public ::testing::Test {
 protected:
  void SetUp() override {
    link::LinkConfig client_config;
    client_config.gateway = client_gateway;
    client_config.executor = executor.executor();
    link::LinkConfig server_config;
    server_config.gateway = service;
    server_config.executor = executor.executor();
    pair = link::testing::make_memory_pair(client_config, server_config, /*threaded=*/true);
    gw = Proxy(pair.a->peer_gateway(5s));
  }
  void TearDown() override {
    service->gate_.open();
    gw = Proxy();
    pair.a->shutdown();
    pair.a->wait_closed(5s);
    pair.b->wait_closed(5s);
    pair.loop->stop();
  }

  template <class F>
  static bool eventually(F condition) {
    for (int i = 0; i < 500; ++i) {
      if (condition()) return true;
      std::this_thread::sleep_for(10ms);
    }
    return condition();
  }

  CallExecutor executor;
  std::shared_ptr<Service> service = std::make_shared<Service>();
  std::shared_ptr<Callbacks> client_gateway = std::make_shared<Callbacks>();
  link::testing::MemoryPair pair;
  Proxy gw;
};

Integer big(const char* decimal) { return *Integer::from_decimal(decimal); }

TEST_F(ProxyOverLink, RecipeShapeWorks) {
  auto sorter = std::make_shared<NameSorter>();
  link::LinkConfig server_config;
  server_config.gateway = sorter;
  server_config.executor = executor.executor();
  auto recipe = link::testing::make_memory_pair({}, server_config, true);
  Proxy service_proxy(recipe.a->peer_gateway(5s));
  for (int i : {5, 3, 4, 1, 2}) service_proxy.call("add", "John Doe #" + std::to_string(i));
  const auto names = service_proxy.call("reset").as<std::vector<std::string>>();
  EXPECT_EQ(names, (std::vector<std::string>{"John Doe #1", "John Doe #2", "John Doe #3",
                                             "John Doe #4", "John Doe #5"}));
  EXPECT_TRUE(service_proxy.call("reset").as<std::vector<std::string>>().empty());
  service_proxy = Proxy();
  recipe.a->shutdown();
  EXPECT_TRUE(recipe.b->wait_closed(5s));
  recipe.loop->stop();
}

TEST_F(ProxyOverLink, ConvertsArgumentsAndResults) {
  EXPECT_EQ(gw.call("add", 2, 3).as<int>(), 5);
  EXPECT_EQ(gw.call("add", big("10000000000000000000000000000000000000000"),
                    big("-1180591620717411303424")),
            Entity(big("9999999999999999998819408379282588696576")));
  EXPECT_EQ(gw.call("add", std::uint64_t{18446744073709551615u}, 1).as<Integer>(),
            big("18446744073709551616"));
  EXPECT_EQ(gw.call("concat", "a", std::string("b")).as<std::string>(), "ab");
  EXPECT_EQ(gw.call("echo", 2.5).as<double>(), 2.5);
  EXPECT_EQ(gw.call("echo", Bytes(std::string_view("xyz"))).as<Bytes>(), Bytes(std::string_view("xyz")));
  const std::vector<std::string> words{"x", "y"};
  EXPECT_EQ(gw.call("echo", words).as<std::vector<std::string>>(), words);
  const auto pair_value = gw.call("echo", std::tuple<int, std::string>{1, "one"});
  EXPECT_EQ((pair_value.as<std::tuple<int, std::string>>()), (std::tuple<int, std::string>{1, "one"}));
  EXPECT_EQ(gw.call("echo", std::optional<int>{}), Entity{});
  EXPECT_EQ(gw.call("echo", true), Entity(true));
  const Entity nested = Tuple{Entity{}, Tuple{1, "two"}, Tagged(Entity(3), {Entity(4)}),
                              Exception{Tuple{"e"}}};
  EXPECT_EQ(gw.call("echo", nested), nested);
}

TEST_F(ProxyOverLink, RemoteExceptionCarriesTheEntity) {
  try {
    gw.call("fail", "boom");
    FAIL() << "no exception";
  } catch (const RemoteException& e) {
    EXPECT_EQ(e.value(), Entity(Exception{Tuple{"boom", 7}}));
    ASSERT_NE(e.exception(), nullptr);
    EXPECT_EQ(e.args().size(), 2u);
    EXPECT_NE(std::string(e.what()).find("boom"), std::string::npos) << e.what();
  }
}

TEST_F(ProxyOverLink, CallErrorsAreTyped) {
  auto expect_call_error = [&](auto&& call) {
    try {
      call();
      ADD_FAILURE() << "no exception";
    } catch (const CallError& e) {
      EXPECT_EQ(e.code(), CallErrc::remote_error) << e.what();
      EXPECT_EQ(e.cause(), link::Errc::call_error);
    }
  };
  expect_call_error([&] { gw.call("nosuch"); });
  expect_call_error([&] { gw.call("add", 1); });               // wrong arity
  expect_call_error([&] { gw.call("add", 1, 2, 3); });
  expect_call_error([&] { gw.call("add", "1", 2); });          // wrong type
  expect_call_error([&] { gw.call("native_fail"); });
  expect_call_error([&] { gw.invoke(Tuple{Entity{}, "nometa"}, link::CallMode::normal); });
  expect_call_error([&] { gw.invoke(Tuple{}, link::CallMode::normal); });
  // The link survives call-level errors (§13.18).
  EXPECT_EQ(gw.call("add", 1, 1), Entity(2));
}

TEST_F(ProxyOverLink, MetaCalls) {
  EXPECT_EQ(gw.meta_methods(),
            (std::vector<std::string>{"add", "call_back", "child", "child_name", "concat",
                                      "deferred", "echo", "fail", "native_fail", "note", "notes",
                                      "slow"}));
  EXPECT_EQ(gw.meta_doc(), "the test service");
  EXPECT_EQ(gw.meta_doc("add"), "adds two integers");
  EXPECT_EQ(gw.meta_doc("echo"), std::nullopt);
  EXPECT_THROW(gw.meta_doc("nosuch"), RemoteException);
}

TEST_F(ProxyOverLink, VoidResultAndOneWayModes) {
  gw.call_void("note", 1);  // returns after the peer answered null
  EXPECT_EQ(gw.call("notes").as<std::vector<std::int64_t>>(), std::vector<std::int64_t>{1});
  EXPECT_THROW(gw.call_void("fail", "x"), RemoteException);  // still reports exceptions
  EXPECT_THROW(gw.call_void("nosuch"), CallError);           // and errors
  // Void-result: the peer sends null even though add returns a value.
  EXPECT_EQ(gw.invoke(Proxy::make_args("add", 1, 2), link::CallMode::void_result), Entity{});

  gw.call_oneway("note", 2);
  gw.call_oneway("nosuch");  // nothing comes back, not even the error
  gw.call_oneway("fail", "x");
  EXPECT_TRUE(eventually([&] { return gw.call("notes").as<std::vector<std::int64_t>>().size() == 2; }));
  EXPECT_EQ(gw.call("notes").as<std::vector<std::int64_t>>(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(gw.call("add", 2, 2), Entity(4));
}

TEST_F(ProxyOverLink, AsyncAndCompletionHandlerForms) {
  std::future<Entity> sum = gw.call_async("add", 20, 22);
  std::future<Entity> failed = gw.call_async("fail", "async");
  std::promise<CallResult> handled;
  gw.call_then([&handled](CallResult r) { handled.set_value(std::move(r)); }, "concat", "a", "b");
  EXPECT_EQ(sum.get(), Entity(42));
  EXPECT_THROW(failed.get(), RemoteException);
  const CallResult r = handled.get_future().get();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), Entity("ab"));

  std::promise<CallResult> error;
  gw.call_then([&error](CallResult r2) { error.set_value(std::move(r2)); }, "nosuch");
  const CallResult e = error.get_future().get();
  EXPECT_TRUE(e.is_error());
  EXPECT_EQ(e.error(), CallErrc::remote_error);
  EXPECT_THROW(e.get(), CallError);
}

TEST_F(ProxyOverLink, ObjectsTravelBothWaysAndCallBack) {
  // A returned object is a proxy that can be called.
  Proxy child = gw.call("child", "c1").as<Proxy>();
  EXPECT_EQ(child.call("hello"), Entity("hi from c1"));
  // Passing it back gives the server its own object.
  EXPECT_EQ(gw.call("child_name", child), Entity("c1"));
  // Echoing a peer object back yields the same proxy (fc/fd relative to the sender).
  EXPECT_EQ(gw.call("echo", child).as<Proxy>(), child);
  // Our own object passes as a reference; the server calls back through it while our call is
  // still pending.
  EXPECT_EQ(gw.call("call_back", client_gateway, 20), Entity(41));
  auto callbacks = std::make_shared<Callbacks>();
  EXPECT_EQ(gw.call("call_back", callbacks, 5), Entity(11));
  // Echoing our own object returns it as the local object, not a proxy.
  const Entity echoed = gw.call("echo", callbacks);
  EXPECT_EQ(echoed.as<std::shared_ptr<Callbacks>>(), callbacks);
  EXPECT_THROW(echoed.as<Proxy>(), EntityTypeError);
  // A proxy of one object is not accepted where another class is expected.
  EXPECT_THROW(gw.call("child_name", client_gateway), CallError);
}

TEST_F(ProxyOverLink, DroppingTheLastProxyReleasesThePeerObject) {
  // Steady state: the client released the server's handshake object, holds the gateway.
  ASSERT_TRUE(eventually([&] { return pair.b->stats().local_objects == 1; }));
  const std::size_t before = 1;
  {
    Proxy child = gw.call("child", "temp").as<Proxy>();
    EXPECT_TRUE(eventually([&] { return pair.b->stats().local_objects == before + 1; }));
    Proxy copy = child;
    EXPECT_EQ(copy.call("hello"), Entity("hi from temp"));
  }
  EXPECT_TRUE(eventually([&] { return pair.b->stats().local_objects == before; }));
}

TEST_F(ProxyOverLink, SlowMethodDoesNotStallOtherCalls) {
  std::future<Entity> slow = gw.call_async("slow", 1);
  ASSERT_TRUE(eventually([&] { return service->entered_ == 1; }));
  // Issued after the slow call, answered first: results are not ordered (§6.3).
  EXPECT_EQ(gw.call_for(5s, "add", 3, 4), Entity(7));
  EXPECT_EQ(slow.wait_for(0ms), std::future_status::timeout);
  service->gate_.open();
  EXPECT_EQ(slow.get(), Entity(1));
}

TEST_F(ProxyOverLink, DeferredResultsCompleteOutOfOrder) {
  std::vector<std::future<Entity>> results;
  for (int i = 0; i < 3; ++i) results.push_back(gw.call_async("deferred", i));
  ASSERT_TRUE(eventually([&] {
    std::scoped_lock l{service->deferred_mutex_};
    return service->deferred_.size() == 3;
  }));
  std::vector<DeferredCall> calls;
  {
    std::scoped_lock l{service->deferred_mutex_};
    calls.swap(service->deferred_);
  }
  // The executor may have started them in any order.
  std::ranges::sort(calls, {}, [](const DeferredCall& c) { return c.args[0].as_int64(); });
  // Answer in reverse order, the middle one with an exception.
  for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
    const std::int64_t i = it->args[0].as_int64();
    if (i == 1) {
      it->responder.exception(Exception{Tuple{"one"}});
    } else {
      it->responder.result(Entity(i * 10));
    }
    if (i == 2) {
      EXPECT_EQ(results[2].get(), Entity(20));
      EXPECT_EQ(results[0].wait_for(0ms), std::future_status::timeout);
    }
  }
  EXPECT_THROW(results[1].get(), RemoteException);
  EXPECT_EQ(results[0].get(), Entity(0));
}

TEST_F(ProxyOverLink, ManyConcurrentCallersGetTheirOwnResults) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<std::future<Entity>> fs;
      for (int i = 0; i < 50; ++i) fs.push_back(gw.call_async("add", t * 1000, i));
      for (int i = 0; i < 50; ++i) {
        if (fs[static_cast<std::size_t>(i)].get() != Entity(t * 1000 + i)) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, 0);
}

TEST_F(ProxyOverLink, TimeoutIsTyped) {
  try {
    gw.call_for(50ms, "slow", 2);
    FAIL() << "no timeout";
  } catch (const CallError& e) {
    EXPECT_EQ(e.code(), CallErrc::timeout);
  }
  service->gate_.open();
  EXPECT_EQ(gw.call("add", 1, 2), Entity(3));  // the link is fine
}

TEST_F(ProxyOverLink, LinkLossFailsPendingCallsWithATypedError) {
  std::future<Entity> pending = gw.call_async("slow", 3);
  ASSERT_TRUE(eventually([&] { return service->entered_ == 1; }));
  pair.b->shutdown(/*force=*/true);  // the server side drops the connection
  try {
    pending.get();
    FAIL() << "pending call survived the link";
  } catch (const CallError& e) {
    EXPECT_EQ(e.code(), CallErrc::link_lost) << e.what();
    EXPECT_TRUE(e.cause()) << e.what();
  }
  // Calls after the loss fail locally, synchronously.
  EXPECT_TRUE(pair.a->wait_closed(5s));
  try {
    gw.call("add", 1, 2);
    FAIL() << "call on a closed link";
  } catch (const CallError& e) {
    EXPECT_EQ(e.code(), CallErrc::link_lost) << e.what();
  }
}

TEST(ProxyBasics, EmptyProxyAndConversions) {
  Proxy empty;
  EXPECT_FALSE(empty);
  try {
    empty.call("x");
    FAIL();
  } catch (const CallError& e) {
    EXPECT_EQ(e.code(), CallErrc::not_connected);
  }
  EXPECT_THROW(empty.ref(), EntityTypeError);
  EXPECT_THROW(Entity(5).as<Proxy>(), EntityTypeError);
  EXPECT_THROW(Entity(std::shared_ptr<Object>(std::make_shared<External>())).as<Proxy>(),
               EntityTypeError);
  EXPECT_THROW(Proxy::make_args("m", std::string("\xff")), CallError);
}

}  // namespace
}  // namespace versile
