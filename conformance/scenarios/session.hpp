// A live session for a scenario: the harness's client link connected to the implementation
// under test — in-process over link_pair (vpstream's own conformance gateway on the server
// side) or over VOP PLAIN to an external peer — with the fault profile applied to both
// directions and a tap on the client transport recording the trace.
#pragma once

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <string>

#include "io/connection.hpp"
#include "io/runtime.hpp"
#include "model/context.hpp"
#include "object/proxy.hpp"

namespace vpstream::conformance {

// The error category of an exception thrown by the public API (remote exceptions, call
// errors, link errors, stream errors); harness_error for anything else.
ErrorCategory category_of(const std::exception& e);
ErrorCategory category_of(std::exception_ptr e);

struct SessionOptions {
  // Server-side gateway for loopback sessions (default: the conformance gateway).
  std::shared_ptr<versile::Object> server_gateway;
  // Client-side gateway (default: none, a plain object).
  std::shared_ptr<versile::Object> client_gateway;
  // Link settings of the client (and, for loopback, server) side.
  versile::link::LinkConfig client_link;
  versile::link::LinkConfig server_link;
  // Outermost wrapper of the client transport, above the fault profile (the misbehaving peer's
  // mid-frame stall sees the link's writes whole).
  versile::io::TransportWrapper client_wrap;
  bool record = true;
};

class Session {
 public:
  // Throws ScenarioAbort (link_closed) when the session cannot be established.
  static std::unique_ptr<Session> open(ScenarioContext& ctx, SessionOptions options = {});
  ~Session();

  versile::Proxy gateway();
  void step(std::string label);
  // Graceful client shutdown; waits for both links to close. False if they did not.
  bool close();

  const std::shared_ptr<versile::Connection>& client() const noexcept { return client_; }
  const std::shared_ptr<versile::Connection>& server() const noexcept { return server_; }
  std::chrono::milliseconds wait() const { return ctx_.scaled(std::chrono::milliseconds(5000)); }

 private:
  explicit Session(ScenarioContext& ctx) : ctx_(ctx) {}
  ScenarioContext& ctx_;
  // Each session has its own io threads and workers, so a link that wedges its runtime
  // cannot take the following scenarios down with it. Declared first: destroyed last.
  std::unique_ptr<versile::io::Runtime> runtime_;
  // Stops the trace tap from writing into the scenario's recorder (see RecorderTap).
  std::function<void()> detach_tap_;
  std::shared_ptr<versile::Connection> client_;
  std::shared_ptr<versile::Connection> server_;
  // Set when a fault transport of this session cut the connection.
  std::shared_ptr<std::atomic<bool>> cut_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace vpstream::conformance
