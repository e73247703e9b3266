// Robotic air hockey: the table, as plain data. Dimensions are those of the robot air-hockey
// challenge tables; the title's rules, physics and bots build on these in the titles' issue.
// Coordinates: table centre at the origin of the table frame, long axis X, up Y, the playing
// surface at y = 0.
#pragma once

#include <string>

namespace pav::hockey {

struct TableSpec {
  float length = 1.948f;        // playing surface, along X (m)
  float width = 1.038f;         // playing surface, along Z (m)
  float goalWidth = 0.25f;      // opening in each short rail (m)
  float puckRadius = 0.03165f;  // (m)
  float puckHeight = 0.0049f;   // (m)
  float malletRadius = 0.04815f;
  float malletHeight = 0.045f;
  float railWidth = 0.06f;      // rail thickness seen from above (m)
  float railHeight = 0.035f;    // rail top above the surface (m)
  float surfaceHeight = 0.80f;  // surface above the floor (m)
};

inline constexpr TableSpec kTable{};

// Reads a table file (assets/hockey/table.txt: key = value lines, see there); a missing key
// keeps the standard table's value. Throws pav::Error naming the file, and the line or key,
// when the file cannot be read, is malformed, or a value is out of range or inconsistent.
TableSpec loadTable(const std::string& path);

}  // namespace pav::hockey
