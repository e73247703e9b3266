// A mesh's material (set 1): glTF metallic-roughness factors and its five textures; matches
// MaterialUniforms in engine/render/src/material_local.h. Missing textures are bound to a 1x1
// white one (a flat normal is never sampled: flags.x says whether there is a normal map).
layout(set = 1, binding = 0) uniform Material {
  vec4 baseColorFactor;
  vec4 emissive;   // rgb: emissiveFactor, w: normalScale
  vec4 params;     // x: metallic, y: roughness, z: occlusionStrength, w: 1 with a normal map
  vec4 uvScale;    // xy
} material;
layout(set = 1, binding = 1) uniform sampler2D baseColorTexture;          // sRGB
layout(set = 1, binding = 2) uniform sampler2D metallicRoughnessTexture;  // G roughness, B metallic
layout(set = 1, binding = 3) uniform sampler2D normalTexture;
layout(set = 1, binding = 4) uniform sampler2D occlusionTexture;          // R
layout(set = 1, binding = 5) uniform sampler2D emissiveTexture;           // sRGB

// The geometric normal bent by the normal map, in a tangent frame made from the screen-space
// derivatives of the position and texture coordinates (no tangent attribute needed).
vec3 mappedNormal(vec3 n, vec3 worldPosition, vec2 uv) {
  if (material.params.w == 0.0) return n;
  const vec3 dp1 = dFdx(worldPosition), dp2 = dFdy(worldPosition);
  const vec2 duv1 = dFdx(uv), duv2 = dFdy(uv);
  const vec3 dp2perp = cross(dp2, n), dp1perp = cross(n, dp1);
  const vec3 t = dp2perp * duv1.x + dp1perp * duv2.x;
  const vec3 b = dp2perp * duv1.y + dp1perp * duv2.y;
  const float scale = max(dot(t, t), dot(b, b));
  if (!(scale > 1e-20)) return n;  // no texture-coordinate change across the pixel
  const float invmax = inversesqrt(scale);
  vec3 m = texture(normalTexture, uv).xyz * 2.0 - 1.0;
  m.xy *= material.emissive.w;
  return normalize(mat3(t * invmax, b * invmax, n) * m);
}

// Everything the material says about the surface at one point.
Surface materialSurface(vec3 worldPosition, vec3 normal, vec2 uvIn, vec4 vertexColor, out float alpha) {
  const vec2 uv = uvIn * material.uvScale.xy;
  const vec4 base = texture(baseColorTexture, uv) * material.baseColorFactor * vertexColor;
  const vec4 mr = texture(metallicRoughnessTexture, uv);
  Surface s;
  s.albedo = base.rgb;
  s.metallic = clamp(material.params.x * mr.b, 0.0, 1.0);
  s.roughness = clamp(material.params.y * mr.g, 0.04, 1.0);
  s.occlusion = 1.0 + material.params.z * (texture(occlusionTexture, uv).r - 1.0);
  s.normal = mappedNormal(normal, worldPosition, uv);
  s.emissive = texture(emissiveTexture, uv).rgb * material.emissive.rgb;
  alpha = base.a;
  return s;
}
