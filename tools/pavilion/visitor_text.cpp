// The visitor's language and string tables at start-up (see visitor_text.h).
#include "visitor_text.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

#include "pav/core/error.h"
#include "session_screens.h"

#ifndef PAV_ASSET_DIR
#define PAV_ASSET_DIR "assets"
#endif

namespace pav::tools {

const core::StringTable* VisitorText::title(std::string_view id) const {
  const auto it = titles.find(id);
  return it == titles.end() ? nullptr : &it->second;
}

std::string dataFolder(const std::string& dataDir) {
  const std::string dir = dataDir.empty() ? std::string(PAV_ASSET_DIR) : dataDir;
  // A title's own folder given as --data (cycling takes DIR/cycling, its models beside it in
  // DIR/models): the tables are beside it too.
  std::error_code ec;
  const std::filesystem::path path(dir);
  if (!std::filesystem::exists(path / "engine", ec) && std::filesystem::exists(path / ".." / "engine", ec))
    return (path / "..").lexically_normal().string();
  return dir;
}

std::string engineTablePath(const std::string& dataDir) { return dataFolder(dataDir) + "/engine/strings.json"; }

std::string titleTablePath(const std::string& dataDir, std::string_view titleId) {
  return dataFolder(dataDir) + "/" + std::string(titleId) + "/strings.json";
}

VisitorText loadVisitorText(const std::string& dataDir, const std::vector<std::string>& titleIds) {
  VisitorText text;
  text.engine = core::StringTable::load(engineTablePath(dataDir));
  for (const std::string& id : titleIds) {
    // Every title ships its table (its name, how to play it, its HUD): a missing one stops start-up.
    text.titles.emplace(id, core::StringTable::load(titleTablePath(dataDir, id)));
  }
  // Every key the session screens use, now rather than at a visitor's lobby: the engine's, and
  // each title's name and its controllers' how-to lines.
  SessionScreens screens(text.engine);
  for (const auto& [id, table] : text.titles) screens.setTitle(&table, id, VisitorDevice::Controllers);
  return text;
}

void addLangOption(CLI::App& command, std::string& text, const std::string& help) {
  command.add_option("--lang", text, help)
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            return core::parseLang(value) ? std::string() : "bad language '" + value + "' (zh or en)";
          },
          "zh|en", "language"));
}

std::optional<core::Lang> langOption(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return core::parseLang(text);
}

}  // namespace pav::tools
