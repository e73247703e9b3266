// The sun's cascaded shadow maps, for any material that is lit by the sun: include it and
// multiply the sun's light by sunShadow(). Matches pav::render::ShadowUniforms (shadows.h);
// the maps are drawn once a frame by shadow.vert and shared by both eyes.
layout(set = 0, binding = 1) uniform Shadows {
  mat4 cascadeViewProjection[4];  // world -> the cascade's light clip space
  vec4 texelWorld;                // a texel's size in metres, per cascade
  vec4 params;                    // x: cascades (0: shadows off), y: map size in texels
} shadows;
layout(set = 0, binding = 2) uniform sampler2DArrayShadow shadowMap;

// 1 in the sun, 0 in full shadow: the finest cascade that holds the point, 3x3 PCF taps of
// the hardware's 2x2 comparison, the point pushed out along its normal by about a texel so a
// surface does not shadow itself (acne). Points beyond the last cascade are lit.
float sunShadow(vec3 worldPosition, vec3 normal) {
  const int count = int(shadows.params.x);
  const float texel = 1.0 / shadows.params.y;
  for (int c = 0; c < count; ++c) {
    const vec3 pushed = worldPosition + normal * (1.5 * shadows.texelWorld[c]);
    const vec4 clip = shadows.cascadeViewProjection[c] * vec4(pushed, 1.0);
    const vec3 p = clip.xyz / clip.w;
    const vec2 uv = p.xy * 0.5 + 0.5;
    if (any(lessThan(uv, vec2(2.0 * texel))) || any(greaterThan(uv, vec2(1.0 - 2.0 * texel))) || p.z > 1.0)
      continue;
    float lit = 0.0;
    for (int y = -1; y <= 1; ++y)
      for (int x = -1; x <= 1; ++x)
        lit += textureGrad(shadowMap, vec4(uv + vec2(x, y) * texel, float(c), p.z), vec2(0.0), vec2(0.0));
    return lit / 9.0;
  }
  return 1.0;
}
