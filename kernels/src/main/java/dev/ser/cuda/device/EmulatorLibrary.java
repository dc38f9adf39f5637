package dev.ser.cuda.device;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The g++ build of the kernels ({@code libserkernels_emu.so}, see {@code src/main/cuda/emu}) bound with
 * java.lang.foreign: {@code emu_launch} and the registry of kernel names. Loaded once per JVM, from
 * {@code -Dser.emu.library=PATH} if given, else from the classpath resource the build packages (a plain
 * file under target/classes while testing; extracted to a temporary file from a jar).
 */
final class EmulatorLibrary {
    static final String RESOURCE = "dev/ser/cuda/emu/linux-x86_64/libserkernels_emu.so";

    private static EmulatorLibrary loaded;

    final Path path;
    private final MethodHandle launch, launchCooperative, maxCooperativeBlocks, lastError, kernelCount, kernelName, kernelParameters;
    private final Map<String, Integer> parameterCounts = new ConcurrentHashMap<>();

    private EmulatorLibrary(Path path) {
        this.path = path;
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(path, Arena.global());
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        launch = linker.downcallHandle(find(lib, "emu_launch"), FunctionDescriptor.of(i32, ValueLayout.ADDRESS,
                i32, i32, i32, i32, i32, i32, i32, ValueLayout.ADDRESS));
        launchCooperative = linker.downcallHandle(find(lib, "emu_launch_cooperative"), FunctionDescriptor.of(i32, ValueLayout.ADDRESS,
                i32, i32, i32, i32, i32, i32, i32, ValueLayout.ADDRESS));
        maxCooperativeBlocks = linker.downcallHandle(find(lib, "emu_max_cooperative_blocks"), FunctionDescriptor.of(i32));
        lastError = linker.downcallHandle(find(lib, "emu_last_error"), FunctionDescriptor.of(ValueLayout.ADDRESS));
        kernelCount = linker.downcallHandle(find(lib, "emu_kernel_count"), FunctionDescriptor.of(i32));
        kernelName = linker.downcallHandle(find(lib, "emu_kernel_name"), FunctionDescriptor.of(ValueLayout.ADDRESS, i32));
        kernelParameters = linker.downcallHandle(find(lib, "emu_kernel_parameters"),
                FunctionDescriptor.of(i32, ValueLayout.ADDRESS));
    }

    private MemorySegment find(SymbolLookup lib, String symbol) {
        return lib.find(symbol).orElseThrow(() -> new CudaException(path + " has no symbol " + symbol
                + ": it is not the emulator this code expects; rebuild the kernels module (mvn -pl kernels install)"));
    }

    static synchronized EmulatorLibrary get() {
        if (loaded == null) loaded = new EmulatorLibrary(locate());
        return loaded;
    }

    private static Path locate() {
        String override = System.getProperty("ser.emu.library");
        if (override != null) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) throw new CudaException("-Dser.emu.library=" + override + " is not a file");
            return p;
        }
        String os = System.getProperty("os.name"), arch = System.getProperty("os.arch");
        if (!os.toLowerCase().contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64")))
            throw new CudaException("the emulated device is built for linux-x86_64 only; this is " + os + " " + arch);
        URL url = EmulatorLibrary.class.getClassLoader().getResource(RESOURCE);
        if (url == null)
            throw new CudaException("the emulated kernel library " + RESOURCE + " is not on the classpath: the kernels module"
                    + " was built without g++ (its build log says '[kernels] SKIPPED emulator library'). Install g++ 12+"
                    + " and rebuild: mvn -pl kernels install");
        try {
            if (url.getProtocol().equals("file")) return Path.of(url.toURI());
            Path tmp = Files.createTempFile("libserkernels_emu", ".so");
            tmp.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return tmp;
        } catch (IOException | URISyntaxException e) {
            throw new CudaException("cannot extract " + url + " to a temporary file: " + e.getMessage());
        }
    }

    /** Runs the kernel; throws with the emulator's reason when it refuses (unknown kernel, bad geometry). */
    void launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, MemorySegment args, Arena arena) {
        run(launch, "emu_launch", kernel, grid, block, sharedBytes, args, arena);
    }

    /** As {@link #launch}, where the kernel may call the grid barrier; at most {@link #maxCooperativeBlocks} blocks. */
    void launchCooperative(String kernel, Dim3 grid, Dim3 block, int sharedBytes, MemorySegment args, Arena arena) {
        run(launchCooperative, "emu_launch_cooperative", kernel, grid, block, sharedBytes, args, arena);
    }

    private void run(MethodHandle entry, String call, String kernel, Dim3 grid, Dim3 block, int sharedBytes, MemorySegment args, Arena arena) {
        int rc;
        try {
            rc = (int) entry.invokeExact(arena.allocateFrom(kernel), grid.x(), grid.y(), grid.z(),
                    block.x(), block.y(), block.z(), sharedBytes, args);
        } catch (Throwable t) {
            throw new IllegalStateException(call + "(" + kernel + ") failed to run", t);
        }
        if (rc != 0) throw new CudaException(call + "(" + kernel + ") failed: " + lastError());
    }

    /** Blocks a cooperative launch may have: every one must be alive at once (1 while blocks run in turn). */
    int maxCooperativeBlocks() {
        try {
            return (int) maxCooperativeBlocks.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    String lastError() {
        try {
            return ((MemorySegment) lastError.invokeExact()).reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The kernel's parameter count, or -1 when the library has no such kernel. */
    int parameters(String kernel) {
        return parameterCounts.computeIfAbsent(kernel, k -> {
            try (Arena arena = Arena.ofConfined()) {
                return (int) kernelParameters.invokeExact(arena.allocateFrom(k));
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        });
    }

    /** Every kernel the library registered, sorted by name. */
    List<String> kernelNames() {
        try {
            int n = (int) kernelCount.invokeExact();
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) names.add(((MemorySegment) kernelName.invokeExact(i)).reinterpret(1024).getString(0));
            return names;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
