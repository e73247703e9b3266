// Per-frame uniforms shared by every material; matches pav::render::FrameUniforms (208 bytes).
layout(set = 0, binding = 0) uniform Frame {
  mat4 viewProjection[2];  // one per eye; mono uses [0]
  vec4 eyePosition[2];
  vec4 lightDirection;     // the direction light travels, normalised
  vec4 lightColor;
  vec4 ambient;
} frame;
