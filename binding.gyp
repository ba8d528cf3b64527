{
  "targets": [
    {
      "target_name": "steady_native",
      "sources": [
        "native/addon.cpp",
        "native/napi_util.cpp",
        "native/cpu.cpp",
        "native/threadpool.cpp",
        "native/gemm.cpp",
        "native/gemm_ukernel_scalar.cpp",
        "native/gemm_ukernel_avx2.cpp",
        "native/gemm_pack_avx2.cpp",
        "native/gemm_ukernel_avx512.cpp",
        "native/ew_base.cpp",
        "native/ew_avx2.cpp",
        "native/elementwise.cpp",
        "native/toolbox_math.cpp",
        "native/select.cpp",
        "native/copy.cpp",
        "native/fused.cpp",
        "native/attention.cpp",
        "native/attention_base.cpp",
        "native/attention_avx2.cpp",
        "native/attention_avx512.cpp",
        "native/conv.cpp",
        "native/pool.cpp",
        "native/relu_mse.cpp"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y", "-std=gnu++14"],
      "cflags": ["-O3", "-fno-math-errno", "-ffp-contract=fast", "-Wall", "-Wno-unused-function", "-Wno-psabi"],
      "cflags_cc": ["-std=c++17"],
      "ldflags": ["-pthread"],
      "defines": ["NAPI_VERSION=8"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CFLAGS": ["-O3", "-fno-math-errno"]
      },
      "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] } }
    }
  ]
}
