// `vpstream`: the command-line front end. Thin: parses arguments and calls the libraries.
#include <iostream>

#include "command_registry.hpp"

namespace vpstream::tools {
std::vector<CommandInstaller>& command_installers() {
  static std::vector<CommandInstaller> installers;
  return installers;
}
}  // namespace vpstream::tools

int main(int argc, char** argv) {
  CLI::App app{"vpstream: Versile Platform stream framework, reference implementation and conformance harness"};
  app.require_subcommand(1);
  int exit_code = 0;
  for (auto& install : vpstream::tools::command_installers()) install(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 returns 0 for --help; usage errors become exit status 2 (the documented contract).
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return exit_code;
}
