// The analytic sky and the distance fog (include after frame.glsl). The same sky is projected
// into the ambient light's spherical harmonics on the CPU (engine/render/src/sky.cpp, which
// says the formula in the same words), so what lights a surface is what is seen behind it.

// The sky's radiance seen along `dir` (unit), without the sun's disc: a gradient from the
// horizon to the zenith, the ground colour below, and the haze around the sun.
vec3 skyRadiance(vec3 dir) {
  const float up = dir.y;
  vec3 c = up >= 0.0 ? mix(frame.skyHorizon.rgb, frame.skyZenith.rgb, pow(up, 0.45))
                     : mix(frame.skyHorizon.rgb, frame.skyGround.rgb, min(-up * 12.0, 1.0));
  const float toSun = max(dot(dir, -frame.lightDirection.xyz), 0.0);
  c += frame.lightColor.rgb * frame.skyGround.w * (0.25 * pow(toSun, 8.0) + pow(toSun, 64.0));
  return c;
}

// The sun's disc, added where the sky itself is drawn (sky.frag), not in reflections.
vec3 sunDisc(vec3 dir) {
  const float toSun = dot(dir, -frame.lightDirection.xyz);
  return toSun > frame.skyHorizon.w && dir.y > -0.02 ? frame.lightColor.rgb * 30.0 : vec3(0.0);
}

// A surface at `worldPosition` seen from `eye`, faded into the sky's colour at the horizon in
// the direction it lies: far enough away, a road becomes the horizon it runs into.
vec3 applyFog(vec3 color, vec3 worldPosition, vec3 eye) {
  if (frame.skyZenith.w == 0.0) return color;
  const vec3 d = worldPosition - eye;
  const float distance = length(d);
  const float amount = 1.0 - exp(-frame.fog.x * max(distance - frame.fog.y, 0.0));
  const vec2 across = d.xz / max(length(d.xz), 1e-4);
  return mix(color, skyRadiance(vec3(across.x, 0.0, across.y)), amount);
}
