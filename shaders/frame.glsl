// Per-frame uniforms shared by every material; matches pav::render::FrameUniforms (208 bytes).
layout(set = 0, binding = 0) uniform Frame {
  mat4 viewProjection[2];  // one per eye; mono uses [0]
  vec4 eyePosition[2];
  vec4 lightDirection;     // the direction light travels, normalised
  vec4 lightColor;
  vec4 ambient;
} frame;

// The eye this pipeline draws, added to gl_ViewIndex: 0 for mono and for a multiview pass
// (gl_ViewIndex picks the eye), 1 for the second eye's pipeline where each eye has a
// single-view pass of its own (TargetFormat::passPerView).
layout(constant_id = 0) const int kFirstView = 0;
