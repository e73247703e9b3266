// What visitor-facing programs (`pavilion play`, `pavilion station`) need to speak to a
// visitor: the language (--lang zh|en) and the string tables, loaded and checked at start-up.
//
//   <dataDir>/engine/strings.json   the engine's own words (the session screens)
//   <dataDir>/<title>/strings.json  each title's: its name, how to play, its HUD
//
// <dataDir> is the programs' --data (the source tree's assets/ by default). A table that is
// malformed or lacks a key stops start-up with a pav::Error naming the file and the key
// (core::StringTable checks the whole file); so does a missing table, the engine's or a title's.
//
//   std::optional<core::Lang> lang;  addLangOption(*command, langText, "...");
//   const VisitorText text = loadVisitorText(o.dataDir, {"hockey"});   // throws pav::Error
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pav/core/strings.h"

namespace CLI {
class App;
}

namespace pav::tools {

struct VisitorText {
  core::StringTable engine;
  std::map<std::string, core::StringTable, std::less<>> titles;  // by title id
  // The title's table, or null.
  const core::StringTable* title(std::string_view id) const;
};

// <dataDir> as the titles read it: the source tree's assets/ when empty; the folder above it when
// it is a title's own folder (no engine/ in it, one beside it: --data DIR/cycling).
std::string dataFolder(const std::string& dataDir);
std::string engineTablePath(const std::string& dataDir);
std::string titleTablePath(const std::string& dataDir, std::string_view titleId);
// Loads the engine's table and those of `titleIds`, and checks that each has the keys the
// session screens use (session_screens.h). Throws pav::Error (file and key).
VisitorText loadVisitorText(const std::string& dataDir, const std::vector<std::string>& titleIds);

// --lang zh|en on `command`, into `text` ("" when not given). A value that is not a language
// is refused by the command line (exit 2) with "bad language 'xx' (zh or en)".
void addLangOption(CLI::App& command, std::string& text, const std::string& help);
// The option's language; nullopt when not given.
std::optional<core::Lang> langOption(const std::string& text);

}  // namespace pav::tools
