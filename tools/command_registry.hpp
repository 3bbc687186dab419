// Subcommands of the `vpstream` program register themselves here, one file each
// (cmd_<name>.cpp), so the program's parts stay independent.
#pragma once

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

namespace vpstream::tools {

// Adds a subcommand to `app`; the subcommand's callback sets `exit_code`.
using CommandInstaller = std::function<void(CLI::App& app, int& exit_code)>;

std::vector<CommandInstaller>& command_installers();

struct RegisterCommand {
  explicit RegisterCommand(CommandInstaller installer) {
    command_installers().push_back(std::move(installer));
  }
};

}  // namespace vpstream::tools
