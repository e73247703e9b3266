// glTF 2.0 metallic-roughness shading (include after frame.glsl and sky.glsl): the sun as a
// GGX specular lobe (Smith-Schlick visibility, Schlick Fresnel) over a Lambert diffuse, the
// ambient light from the sky (spherical harmonics for the diffuse part, the sky itself blurred
// towards them by roughness for the specular), and Khronos PBR Neutral tone mapping.
// Light colours are in units where a white Lambert surface facing the sun shows lightColor.

const float kPi = 3.14159265;

struct Surface {
  vec3 albedo;       // linear base colour
  float metallic;
  float roughness;   // perceptual, 0..1
  float occlusion;   // ambient occlusion, 0..1
  vec3 normal;       // unit, world space, facing the eye
  vec3 emissive;     // linear, added as is
};

// The ambient irradiance / pi arriving at a surface facing `n` (frame.ambientSH, sky.cpp).
vec3 ambientAt(vec3 n) {
  return max(frame.ambientSH[0].rgb * 0.282095 +
             frame.ambientSH[1].rgb * (0.488603 * n.y) + frame.ambientSH[2].rgb * (0.488603 * n.z) +
             frame.ambientSH[3].rgb * (0.488603 * n.x) +
             frame.ambientSH[4].rgb * (1.092548 * n.x * n.y) + frame.ambientSH[5].rgb * (1.092548 * n.y * n.z) +
             frame.ambientSH[6].rgb * (0.315392 * (3.0 * n.z * n.z - 1.0)) +
             frame.ambientSH[7].rgb * (1.092548 * n.x * n.z) +
             frame.ambientSH[8].rgb * (0.546274 * (n.x * n.x - n.y * n.y)), vec3(0.0));
}

// The light a surface sends towards the eye, in scene units before tone mapping.
// `sunVisibility` is how much of the sun reaches it (1: unshadowed).
vec3 shadeSurface(Surface s, vec3 toEye, float sunVisibility) {
  const vec3 n = s.normal;
  const vec3 toLight = -frame.lightDirection.xyz;
  const float a = max(s.roughness * s.roughness, 0.002);
  const vec3 f0 = mix(vec3(0.04), s.albedo, s.metallic);
  const vec3 diffuseColor = s.albedo * (1.0 - s.metallic);
  const float nv = max(dot(n, toEye), 1e-4);

  vec3 direct = vec3(0.0);
  const float nl = dot(n, toLight);
  if (nl > 0.0 && sunVisibility > 0.0) {
    const vec3 h = normalize(toLight + toEye);
    const float nh = max(dot(n, h), 0.0), vh = max(dot(toEye, h), 0.0);
    const float a2 = a * a;
    const float denom = nh * nh * (a2 - 1.0) + 1.0;
    const float d = a2 / (kPi * denom * denom);
    const float k = a * 0.5;
    const float vis = 0.25 / ((nl * (1.0 - k) + k) * (nv * (1.0 - k) + k));
    const vec3 f = f0 + (1.0 - f0) * pow(1.0 - vh, 5.0);
    // pi: the light's units fold Lambert's 1/pi in.
    direct = ((1.0 - f) * diffuseColor + kPi * d * vis * f) * frame.lightColor.rgb * nl * sunVisibility;
  }

  // Ambient: the environment BRDF by Karis' analytic fit (mobile), the reflection blurred from
  // the sky towards its spherical harmonics as the surface gets rougher.
  const vec4 c0 = vec4(-1.0, -0.0275, -0.572, 0.022), c1 = vec4(1.0, 0.0425, 1.04, -0.04);
  const vec4 r = s.roughness * c0 + c1;
  const float a004 = min(r.x * r.x, exp2(-9.28 * nv)) * r.x + r.y;
  const vec2 ab = vec2(-1.04, 1.04) * a004 + r.zw;
  const vec3 reflected = reflect(-toEye, n);
  const vec3 shAmbient = ambientAt(reflected);
  const vec3 mirror = frame.skyZenith.w != 0.0 ? skyRadiance(reflected) * frame.ambient.w : shAmbient;
  const vec3 environment = mix(mirror, shAmbient, s.roughness);
  const vec3 ambient = diffuseColor * ambientAt(n) + environment * (f0 * ab.x + ab.y);
  return direct + ambient * s.occlusion + s.emissive;
}

// Khronos PBR Neutral (https://github.com/KhronosGroup/ToneMapping/tree/main/PBR_Neutral);
// pav::render::toneMapNeutral says the same in C++.
vec3 toneMapNeutral(vec3 color) {
  const float startCompression = 0.8 - 0.04;
  const float desaturation = 0.15;
  const float x = min(color.r, min(color.g, color.b));
  const float offset = x < 0.08 ? x - 6.25 * x * x : 0.04;
  color -= offset;
  const float peak = max(color.r, max(color.g, color.b));
  if (peak < startCompression) return color;
  const float d = 1.0 - startCompression;
  const float newPeak = 1.0 - d * d / (peak + d - startCompression);
  color *= newPeak / peak;
  const float g = 1.0 - 1.0 / (desaturation * (peak - newPeak) + 1.0);
  return mix(color, vec3(newPeak), g);
}
