import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CrucibleError } from '@crucible/core';
import { z } from 'zod';

/**
 * Where onnxruntime runs a graph. `cpu` is bundled everywhere and is the only provider whose results
 * are bit-reproducible across machines of one kind (validators' replayable verdicts use it). `cuda`
 * needs the provider libraries put next to onnxruntime-node's own (scripts/install-cuda-provider.sh)
 * and CUDA 13 on the library path. `webgpu` is bundled in onnxruntime-node for Linux, Windows and macOS
 * and needs a WebGPU adapter (on Linux: the Vulkan loader and a GPU driver).
 */
export const executionProviders = ['cpu', 'cuda', 'webgpu'] as const;
export type ExecutionProvider = (typeof executionProviders)[number];
export const executionProviderSchema = z.enum(executionProviders);

/**
 * The CUDA provider Crucible installs: ONNX Runtime 1.29.0 built against CUDA 13, published to npm as
 * a Unity plug-in (MIT). The provider refuses any other onnxruntime version ("version mismatch").
 */
export const cudaProvider = {
  onnxruntimeVersion: '1.29.0',
  npmPackage: 'com.github.asus4.onnxruntime.linux-x64-gpu',
  npmVersion: '0.4.9',
  folderInPackage: 'package/Plugins/Linux/x64',
  libraries: {
    'libonnxruntime_providers_cuda.so': '56cf3254b118ad837ccc4ed8f6d1b23504bbf7ef91b34cbc0b289cb7f10b3037',
    'libonnxruntime_providers_shared.so': 'c6a12593396095f5670160e284c35d1700b7708cf3037b7042e2a5200ccae772',
  },
  /**
   * Libraries the provider library links against (its ELF NEEDED entries), none of them in either npm
   * package: CUDA 13 (the toolkit, or PyTorch's nvidia-* wheels) and the NVIDIA driver's libcuda.
   * cuDNN is loaded only by kernels Crucible's graphs do not use.
   */
  cudaLibraries: ['libcudart.so.13', 'libcublas.so.13', 'libcublasLt.so.13', 'libcurand.so.10', 'libcuda.so.1'],
  installCommand: 'npm run gpu:install-cuda',
} as const;

/** Why a provider cannot run here (CrucibleError('EXECUTION_PROVIDER').details.reason). */
export type ProviderFailure = 'unsupported-platform' | 'version-mismatch' | 'not-installed' | 'libraries-missing' | 'no-device' | 'no-adapter' | 'failed';

/** onnxruntime-node's version and the folder holding its native libraries (where provider libraries go). */
export function onnxruntimeInstall(): { version: string; binaryDir: string } {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('onnxruntime-node/package.json');
  const version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
  return { version, binaryDir: join(dirname(pkgPath), 'bin', 'napi-v6', process.platform, process.arch) };
}

function failure(ep: ExecutionProvider, reason: ProviderFailure, message: string, details: Record<string, unknown> = {}, cause?: unknown): CrucibleError {
  return new CrucibleError('EXECUTION_PROVIDER', `${ep} execution provider: ${message}`, { details: { provider: ep, reason, ...details }, cause });
}

/**
 * Checks, before any session is created, what can be checked on disk: for `cuda` the platform, the
 * onnxruntime-node version and the provider libraries. Throws CrucibleError('EXECUTION_PROVIDER').
 * What only loading can tell (CUDA libraries, a device, a WebGPU adapter) is mapped by providerError.
 */
export function checkExecutionProvider(ep: ExecutionProvider): void {
  if (ep !== 'cuda') return;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw failure(ep, 'unsupported-platform', `the CUDA provider Crucible installs exists for linux-x64 only, this is ${process.platform}-${process.arch}`);
  }
  const { version, binaryDir } = onnxruntimeInstall();
  if (version !== cudaProvider.onnxruntimeVersion) {
    throw failure(ep, 'version-mismatch', `the provider library needs onnxruntime-node ${cudaProvider.onnxruntimeVersion} exactly, ${version} is installed`, {
      installed: version,
      required: cudaProvider.onnxruntimeVersion,
    });
  }
  const missing = Object.keys(cudaProvider.libraries).filter((f) => !existsSync(join(binaryDir, f)));
  if (missing.length > 0) {
    throw failure(ep, 'not-installed', `${missing.join(', ')} not found in ${binaryDir}; run \`${cudaProvider.installCommand}\``, { missing, binaryDir });
  }
}

/**
 * Which of the CUDA provider's libraries the dynamic loader would not find: looks in LD_LIBRARY_PATH's
 * folders and the loader cache (`ldconfig -p`). Used to explain a failed load, since onnxruntime-node
 * reports only "Failed to load shared library".
 */
export function missingCudaLibraries(): string[] {
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== '');
  let cache = '';
  try {
    cache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // no ldconfig on the PATH: LD_LIBRARY_PATH alone decides
  }
  return cudaProvider.cudaLibraries.filter((lib) => !dirs.some((d) => existsSync(join(d, lib))) && !cache.includes(`${lib} `));
}

/** Maps onnxruntime's error when creating a session on `ep` to a typed error with a hint. */
export function providerError(ep: ExecutionProvider, cause: unknown): CrucibleError {
  const message = String((cause as Error)?.message ?? cause);
  if (ep === 'cuda') {
    if (/Failed to load (shared )?library|cannot open shared object file/.test(message)) {
      const missing = missingCudaLibraries();
      const which = missing.length > 0 ? `${missing.join(', ')} not found` : `a library it needs could not be loaded (${message})`;
      return failure(
        ep,
        missing.length > 0 && missing.every((l) => l === 'libcuda.so.1') ? 'no-device' : 'libraries-missing',
        `${which}: put the CUDA 13 libraries (${cudaProvider.cudaLibraries.slice(0, -1).join(', ')}; from the CUDA toolkit or PyTorch's nvidia-* wheels) on LD_LIBRARY_PATH; libcuda.so.1 comes with the NVIDIA driver`,
        { missing },
        cause,
      );
    }
    if (/version mismatch/i.test(message)) return failure(ep, 'version-mismatch', message, {}, cause);
    if (/no CUDA-capable device|CUDA driver version is insufficient|cudaErrorNoDevice|CUDA failure 100|libcuda\.so/i.test(message)) {
      return failure(ep, 'no-device', `no usable NVIDIA GPU or driver: ${message}`, {}, cause);
    }
  }
  if (ep === 'webgpu' && /adapter/i.test(message)) {
    return failure(ep, 'no-adapter', `no WebGPU adapter: on Linux install the Vulkan loader (libvulkan1) and a GPU driver with a Vulkan ICD (${message})`, {}, cause);
  }
  return failure(ep, 'failed', message, {}, cause);
}
