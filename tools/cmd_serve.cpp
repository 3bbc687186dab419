// `vpstream serve --listen HOST:PORT`: serves the conformance gateway (conformance-gateway.md)
// over VOP PLAIN until SIGINT/SIGTERM.
//
// Contract (keep stable): once the server accepts connections it prints exactly one line
// `listening on HOST:PORT` (PORT 0 is replaced by the port the OS picked) and flushes stdout.
// Exit status 0 after a signal, 1 when it cannot listen, 2 on usage errors.
#include <csignal>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>

#include <pthread.h>

#include "command_registry.hpp"
#include "gateway/conformance_gateway.hpp"
#include "io/vop.hpp"

namespace vpstream::tools {
namespace {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};

// HOST:PORT or [IPv6]:PORT.
std::optional<HostPort> parse_host_port(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
  HostPort out;
  out.host = text.substr(0, colon);
  if (out.host.front() == '[') {
    if (out.host.back() != ']' || out.host.size() < 3) return std::nullopt;
    out.host = out.host.substr(1, out.host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const unsigned long value = std::stoul(port);
  if (value > 65535) return std::nullopt;
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

int serve(const std::string& listen) {
  const auto where = parse_host_port(listen);
  if (!where) {
    std::cerr << "vpstream serve: --listen wants HOST:PORT, got '" << listen << "'\n";
    return 2;
  }
  // Block the stop signals before any io thread exists, so every thread inherits the mask and
  // only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  versile::io::VopServerOptions options;
  options.host = where->host;
  options.port = where->port;
  std::optional<versile::io::VopServer> server;
  try {
    server.emplace(options, [] { return vpstream::conformance::make_gateway(); });
  } catch (const std::system_error& e) {
    std::cerr << "vpstream serve: cannot listen on " << listen << ": " << e.code().message()
              << "\n";
    return 1;
  }
  const bool v6 = where->host.find(':') != std::string::npos;
  std::cout << "listening on " << (v6 ? "[" : "") << where->host << (v6 ? "]" : "") << ":"
            << server->port() << std::endl;  // endl: the harness waits for this line

  int signal = 0;
  sigwait(&stop_signals, &signal);
  server->stop();
  server.reset();
  return 0;
}

const RegisterCommand kRegisterServe([](CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("serve", "Serve the conformance gateway over VOP PLAIN (TCP)");
  auto listen = std::make_shared<std::string>("127.0.0.1:4433");
  cmd->add_option("--listen", *listen, "HOST:PORT to listen on (PORT 0 picks a free port)")
      ->capture_default_str();
  cmd->callback([listen, &exit_code] { exit_code = serve(*listen); });
});

}  // namespace
}  // namespace vpstream::tools
