#include "scenarios/session.hpp"

#include <mutex>

#include "faults/fault_transport.hpp"
#include "gateway/conformance_gateway.hpp"
#include "io/transport_tap.hpp"
#include "io/vop.hpp"
#include "link/link_error.hpp"
#include "object/call_error.hpp"
#include "object/remote_exception.hpp"
#include "vse/stream/stream_errors.hpp"

namespace vpstream::conformance {

ErrorCategory category_of(const std::exception& e) {
  if (dynamic_cast<const versile::RemoteException*>(&e)) return ErrorCategory::call_exception;
  if (const auto* ce = dynamic_cast<const versile::CallError*>(&e)) {
    switch (ce->kind()) {
      case versile::CallErrc::remote_error: return ErrorCategory::call_error;
      case versile::CallErrc::link_lost:
      case versile::CallErrc::not_connected: return ErrorCategory::link_closed;
      case versile::CallErrc::timeout: return ErrorCategory::no_response;
      default: return ErrorCategory::harness_error;
    }
  }
  if (dynamic_cast<const versile::link::LinkError*>(&e)) return ErrorCategory::link_closed;
  if (dynamic_cast<const versile::stream::StreamTimeout*>(&e)) return ErrorCategory::stream_timeout;
  if (dynamic_cast<const versile::stream::StreamFailure*>(&e)) return ErrorCategory::stream_failure;
  if (dynamic_cast<const versile::stream::StreamInvalidPos*>(&e)) return ErrorCategory::stream_invalid_pos;
  if (dynamic_cast<const versile::stream::StreamError*>(&e)) return ErrorCategory::stream_error;
  if (dynamic_cast<const versile::stream::StreamException*>(&e)) return ErrorCategory::stream_error;
  return ErrorCategory::harness_error;
}

ErrorCategory category_of(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return category_of(ex);
  } catch (...) {
    return ErrorCategory::harness_error;
  }
}

namespace {

// Feeds the client transport's traffic into the scenario's trace recorder: what the client
// sends is direction a, what it receives is direction b. The transport (and so the tap) can
// outlive the session and the scenario's recorder: after our FIN it drains until the peer's
// EOF, and closing completes pending operations later, on the io thread. ~Session detaches
// the tap, so such late callbacks never touch a destroyed recorder (with the shared default
// runtime they did: a freed recorder's mutex blocked the io thread, and every later session
// timed out in its handshake).
class RecorderTap final : public versile::io::TransportTap {
 public:
  explicit RecorderTap(traces::TraceRecorder& rec) : rec_(&rec) {}
  void detach() {
    std::scoped_lock lock(mutex_);
    rec_ = nullptr;
  }
  void on_data(versile::io::TapDirection dir, Clock::time_point, std::span<const std::uint8_t> bytes) override {
    std::scoped_lock lock(mutex_);
    if (rec_) rec_->chunk(direction(dir), bytes);
  }
  void on_eof(versile::io::TapDirection dir, Clock::time_point) override {
    std::scoped_lock lock(mutex_);
    if (rec_) rec_->eof(direction(dir));
  }
  void on_error(versile::io::TapDirection dir, Clock::time_point, const boost::system::error_code& ec) override {
    std::scoped_lock lock(mutex_);
    if (rec_) rec_->error(direction(dir), ec.message());
  }

 private:
  static traces::Direction direction(versile::io::TapDirection dir) {
    return dir == versile::io::TapDirection::sent ? traces::Direction::a : traces::Direction::b;
  }
  std::mutex mutex_;
  traces::TraceRecorder* rec_;  // null once detached
};

}  // namespace

std::unique_ptr<Session> Session::open(ScenarioContext& ctx, SessionOptions options) {
  std::unique_ptr<Session> s(new Session(ctx));
  s->runtime_ = std::make_unique<versile::io::Runtime>();
  versile::ConnectionOptions client;
  client.runtime = s->runtime_.get();
  client.link = options.client_link;
  std::shared_ptr<RecorderTap> tap;
  if (options.record) {
    tap = std::make_shared<RecorderTap>(ctx.recorder());
    s->detach_tap_ = [tap] { tap->detach(); };
  }
  const FaultProfile faults = ctx.faults();
  const std::uint64_t seed = ctx.seed();
  FaultEvents events;
  events.written = [record = ctx.fault_record()](std::size_t n) { record->note_written(n); };
  events.cut = [flag = s->cut_, record = ctx.fault_record()] {
    flag->store(true);
    record->note_cut(FaultRecord::Clock::now());
  };
  // Faults outermost, the tap next to the socket: the trace shows what really moved.
  client.wrap = [tap, faults, seed, events, outer = options.client_wrap](std::shared_ptr<versile::io::ByteTransport> inner) {
    if (tap) inner = versile::io::make_tapped_transport(std::move(inner), tap);
    inner = make_fault_transport(std::move(inner), faults, seed, events);
    return outer ? outer(std::move(inner)) : inner;
  };
  if (options.record) ctx.recorder().step("link_pair / connect");
  try {
    if (ctx.target().kind == Target::Kind::peer) {
      versile::VopConnectOptions vop;
      vop.connection = client;
      vop.timeout = ctx.scaled(std::chrono::milliseconds(10000));
      s->client_ = versile::vop_connect(ctx.target().url, options.client_gateway, vop);
    } else {
      auto gw = options.server_gateway ? options.server_gateway : make_gateway();
      versile::ConnectionOptions server;
      server.runtime = s->runtime_.get();
      server.link = options.server_link;
      server.wrap = fault_wrapper(faults, seed + 1, events);
      auto [c, sv] = versile::link_pair(options.client_gateway, gw, client, server);
      s->client_ = std::move(c);
      s->server_ = std::move(sv);
    }
  } catch (const ScenarioAbort&) {
    throw;
  } catch (const std::exception& e) {
    abort_with(ErrorCategory::link_closed, std::string("session not established: ") + e.what());
  }
  return s;
}

Session::~Session() {
  if (cut_->load()) {
    // The cut profile fired: the implementation must notice, ending its link(s) with a reason.
    // Whether it did decides if a missing reply may be attributed to the cut (grading.hpp).
    const auto wait = ctx_.scaled(std::chrono::milliseconds(2000));
    bool reported = !client_ || (client_->wait_closed(wait) && client_->close_error());
    if (server_) reported = reported && server_->wait_closed(wait) && server_->close_error();
    ctx_.fault_record()->note_link_end(reported);
    if (!reported) ctx_.log("the connection was cut, but a link did not end with a reason within the wait");
  }
  if (client_) client_->shutdown(true);
  if (server_) server_->shutdown(true);
  if (client_) client_->wait_closed(std::chrono::seconds(2));
  if (server_) server_->wait_closed(std::chrono::seconds(2));
  client_.reset();
  server_.reset();
  if (detach_tap_) detach_tap_();
  if (runtime_) runtime_->stop();
}

versile::Proxy Session::gateway() {
  try {
    return client_->peer_gw(wait());
  } catch (const std::exception& e) {
    abort_with(category_of(e) == ErrorCategory::harness_error ? ErrorCategory::link_closed : category_of(e),
               std::string("no peer gateway: ") + e.what());
  }
}

void Session::step(std::string label) { ctx_.recorder().step(std::move(label)); }

bool Session::close() {
  step("shutdown");
  client_->shutdown();
  bool ok = client_->wait_closed(wait());
  if (server_) ok = server_->wait_closed(wait()) && ok;
  return ok;
}

}  // namespace vpstream::conformance
