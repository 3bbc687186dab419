// `vpstream call URL METHOD [VEJ-ARG...]` and `vpstream methods URL`: one remote call to the
// gateway of a VOP PLAIN server.
//
// Contract (keep stable):
//   call:    the result as one VEJ line on stdout, exit 0. A remote exception: its value as one
//            VEJ line on stdout, exit 1. A call error: {"call_error":"<kind>","detail":"..."}
//            on stderr, exit 1. Object references in results print as {"local":"<peer id>"}.
//   methods: the published method names, one per line, exit 0 (errors as for call).
//   Connection failures: "vpstream: cannot connect to URL: reason" on stderr, exit 1.
//   Usage errors (bad URL, an argument that is not VEJ): exit 2.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command_registry.hpp"
#include "entity/vej.hpp"
#include "io/vop.hpp"
#include "link/link_error.hpp"
#include "link/peer_object.hpp"
#include "object/call_error.hpp"
#include "object/remote_exception.hpp"

namespace vpstream::tools {
namespace {

using nlohmann::json;

struct CallOptions {
  std::string url;
  std::string method;
  std::vector<std::string> args;
  double timeout_seconds = 30;
};

const char* call_errc_name(versile::CallErrc kind) {
  switch (kind) {
    case versile::CallErrc::remote_error: return "remote_error";
    case versile::CallErrc::link_lost: return "link_lost";
    case versile::CallErrc::timeout: return "timeout";
    case versile::CallErrc::not_connected: return "not_connected";
    case versile::CallErrc::bad_arguments: return "bad_arguments";
    case versile::CallErrc::abandoned: return "abandoned";
  }
  return "unknown";
}

// Peer objects in a result are named by the id their owner (the peer) gave them.
json result_vej(const versile::Entity& value) {
  return versile::to_vej(value, [](const versile::ObjectRef& ref) -> std::optional<versile::VejRef> {
    if (auto peer = ref.as<versile::link::PeerObject>()) {
      return versile::VejRef{versile::ObjectRef::Owner::sender, versile::Integer(peer->id())};
    }
    return std::nullopt;
  });
}

// Connects, runs `body(gateway)`, shuts down. Returns the exit status.
template <class Body>
int with_gateway(const CallOptions& options, Body&& body) {
  if (!versile::VopUrl::parse(options.url)) {
    std::cerr << "vpstream: not a vop://HOST[:PORT]/ URL: " << options.url << "\n";
    return 2;
  }
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000));
  std::shared_ptr<versile::Connection> conn;
  versile::Proxy gateway;
  try {
    versile::VopConnectOptions connect;
    connect.timeout = timeout;
    conn = versile::vop_connect(options.url, nullptr, connect);
    gateway = conn->peer_gw(timeout);
  } catch (const std::system_error& e) {
    std::cerr << "vpstream: cannot connect to " << options.url << ": " << e.code().message()
              << " (" << e.code().category().name() << ")\n";
    if (conn) conn->shutdown(true);
    return 1;
  }
  int status = 1;
  try {
    status = body(gateway, timeout);
  } catch (const versile::RemoteException& e) {
    std::cout << result_vej(e.value()).dump() << std::endl;
    status = 1;
  } catch (const versile::CallError& e) {
    std::cerr << json{{"call_error", call_errc_name(e.kind())}, {"detail", e.what()}}.dump()
              << std::endl;
    status = 1;
  }
  gateway = {};
  conn->shutdown();
  conn->wait_closed(std::chrono::seconds(5));
  return status;
}

int run_call(const CallOptions& options) {
  std::vector<versile::Entity> args{versile::Entity(options.method)};
  for (const auto& text : options.args) {
    try {
      args.push_back(versile::parse_vej(text));
    } catch (const versile::VejError& e) {
      std::cerr << "vpstream call: argument is not VEJ (" << versile::vej_errc_name(e.category())
                << "): " << text << "\n";
      return 2;
    }
  }
  return with_gateway(options, [&](const versile::Proxy& gw, std::chrono::milliseconds timeout) {
    const auto result = gw.invoke(versile::Tuple(std::move(args)), versile::link::CallMode::normal,
                                  timeout);
    std::cout << result_vej(result).dump() << std::endl;
    return 0;
  });
}

int run_methods(const CallOptions& options) {
  return with_gateway(options, [&](const versile::Proxy& gw, std::chrono::milliseconds) {
    for (const auto& name : gw.meta_methods()) std::cout << name << "\n";
    std::cout.flush();
    return 0;
  });
}

const RegisterCommand kRegisterCall([](CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CallOptions>();
  auto* call = app.add_subcommand("call", "Call a method on the gateway of a VOP server");
  call->add_option("url", options->url, "vop://HOST:PORT/")->required();
  call->add_option("method", options->method, "method name")->required();
  // Arguments are taken verbatim (as extras): CLI11 would split a VEJ tuple "[a,b]" on commas.
  call->allow_extras();
  call->footer("Arguments after METHOD: entities in VEJ notation, e.g. '{\"int\":\"5\"}'.");
  call->add_option("--timeout", options->timeout_seconds, "seconds for connect and call")
      ->capture_default_str();
  call->callback([options, call, &exit_code] {
    options->args = call->remaining();
    exit_code = run_call(*options);
  });

  auto* methods = app.add_subcommand("methods", "List the methods a VOP server's gateway publishes");
  methods->add_option("url", options->url, "vop://HOST:PORT/")->required();
  methods->add_option("--timeout", options->timeout_seconds, "seconds for connect and call")
      ->capture_default_str();
  methods->callback([options, &exit_code] { exit_code = run_methods(*options); });
});

}  // namespace
}  // namespace vpstream::tools
