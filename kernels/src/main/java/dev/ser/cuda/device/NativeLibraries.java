package dev.ser.cuda.device;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Finds and loads a CUDA library (cuBLAS, cuDNN) of whichever supported major version is installed, for
 * binding with {@code java.lang.foreign}. We cannot link against one version as JCublas does: the GPU machine
 * may have CUDA 12 or 13 from the toolkit, or only the copies PyTorch's pip wheels unpacked.
 *
 * <p>Places, in order; the first that holds the library (and its companions, e.g. {@code libcublasLt} for
 * {@code libcublas}, in the same directory) wins, and within a place the newest major version:
 * <ol>
 *   <li>the library's own variable ({@code SER_CUBLAS_LIB}, {@code SER_CUDNN_LIB}): a file or a directory; if
 *       set, it must hold the library (a wrong setting is an error, not a fallback);</li>
 *   <li>{@code SER_CUDA_LIB_DIR} (directories, separated by {@code :});</li>
 *   <li>{@code CUDA_HOME}, {@code CUDA_PATH}: {@code lib64} and {@code targets/x86_64-linux/lib};</li>
 *   <li>{@code /usr/local/cuda}, then {@code /usr/local/cuda-*} newest first, the same two subdirectories;</li>
 *   <li>pip wheels ({@code nvidia/cu13/lib} for CUDA 13, {@code nvidia/cublas/lib} and {@code nvidia/cudnn/lib}
 *       for CUDA 12) in the site-packages of {@code VIRTUAL_ENV}, {@code CONDA_PREFIX} (and its {@code lib}),
 *       {@code ~/.local}, {@code /usr/local/lib} and {@code /usr/lib}, newest Python first;</li>
 *   <li>the system loader by name ({@code LD_LIBRARY_PATH}, the ldconfig cache).</li>
 * </ol>
 */
public final class NativeLibraries {
    private NativeLibraries() {}

    /**
     * A library to look for. {@code companions} are loaded first from the same directory: a library found by
     * path may still name its dependencies by soname, and the loader resolves a soname it has already loaded.
     */
    public record Library(String title, String baseName, List<Integer> majors, String variable,
                          List<String> companions, List<String> wheelDirs, String pipHint) {
        String fileName(int major) { return baseName + ".so." + major; }

        String names() {
            return String.join(" or ", majors.stream().map(this::fileName).toList())
                    + (companions.isEmpty() ? "" : " (with " + String.join(", ", companions) + " of the same version beside it)");
        }
    }

    public static final Library CUBLAS = new Library("cuBLAS", "libcublas", List.of(13, 12), "SER_CUBLAS_LIB",
            List.of("libcublasLt"), List.of("nvidia/cu13/lib", "nvidia/cublas/lib"),
            "`pip install nvidia-cublas` (CUDA 13) puts it in site-packages/nvidia/cu13/lib, `pip install nvidia-cublas-cu12` in site-packages/nvidia/cublas/lib");

    public static final Library CUDNN = new Library("cuDNN", "libcudnn", List.of(9), "SER_CUDNN_LIB",
            List.of(), List.of("nvidia/cudnn/lib", "nvidia/cu13/lib"),
            "`pip install nvidia-cudnn-cu13` (or -cu12) puts it in site-packages/nvidia/cudnn/lib");

    /** What the search sees of the machine: the environment, where "/" is, and the home directory (tests use temporary ones). */
    public record Environment(Map<String, String> variables, Path root, Path home) {
        public static Environment system() {
            return new Environment(System.getenv(), Path.of("/"), Path.of(System.getProperty("user.home")));
        }

        String get(String name) {
            String v = variables.get(name);
            return v == null || v.isBlank() ? null : v.trim();
        }

        /** A standard absolute location such as {@code /usr/local/cuda}, under {@link #root}. */
        Path under(String absolute) { return root.resolve(absolute.substring(1)); }
    }

    /** A library file found on disk, with the companions to load before it. */
    public record Found(Path file, List<Path> companions, int major, String place) {}

    /** The outcome of a search: the file, or null with every place looked at (for the error message). */
    public record Search(Found found, List<String> looked) {}

    /** A loaded library: its symbols and a description for reports ("/usr/local/cuda/lib64/libcublas.so.13"). */
    public record Loaded(SymbolLookup symbols, String path, int major) {}

    private static final Map<Library, Loaded> LOADED = new ConcurrentHashMap<>();

    /** Loads {@code library} (once per JVM; libraries stay loaded) or throws {@link CudaException} listing every place looked. */
    public static Loaded load(Library library) {
        Loaded done = LOADED.get(library);
        if (done != null) return done;
        synchronized (LOADED) {
            done = LOADED.get(library);
            if (done == null) {
                done = loadUncached(library, Environment.system());
                LOADED.put(library, done);
            }
            return done;
        }
    }

    private static Loaded loadUncached(Library library, Environment env) {
        Search search = search(library, env);
        Found found = search.found();
        if (found != null) {
            try {
                for (Path companion : found.companions()) SymbolLookup.libraryLookup(companion, Arena.global());
                return new Loaded(SymbolLookup.libraryLookup(found.file(), Arena.global()), found.file().toString(), found.major());
            } catch (IllegalArgumentException e) {
                throw new CudaException(library.title() + " was found at " + found.file() + " (" + found.place() + ") but could not be loaded: "
                        + e.getMessage() + ". Point " + library.variable() + " at another copy.");
            }
        }
        List<String> looked = new ArrayList<>(search.looked());
        for (int major : library.majors()) {
            try {
                for (String companion : library.companions()) SymbolLookup.libraryLookup(companion + ".so." + major, Arena.global());
                SymbolLookup symbols = SymbolLookup.libraryLookup(library.fileName(major), Arena.global());
                return new Loaded(symbols, library.fileName(major) + " (system loader)", major);
            } catch (IllegalArgumentException e) {
                // not known to the loader under this name: try the next version
            }
        }
        looked.add("the system loader by name (LD_LIBRARY_PATH, the ldconfig cache)");
        throw new CudaException(notFoundMessage(library, looked));
    }

    static String notFoundMessage(Library library, List<String> looked) {
        StringBuilder m = new StringBuilder(library.title()).append(" not found: looked for ").append(library.names()).append(" in\n");
        for (String place : looked) m.append("  - ").append(place).append('\n');
        m.append("Set ").append(library.variable()).append(" to the library file or its directory (or SER_CUDA_LIB_DIR to a directory of CUDA libraries); ")
                .append(library.pipHint()).append('.');
        return m.toString();
    }

    /** The search without loading anything: testable with fake files. */
    public static Search search(Library library, Environment env) {
        List<String> looked = new ArrayList<>();
        String explicit = env.get(library.variable());
        if (explicit != null) {
            Found found = explicitSetting(library, Path.of(explicit));
            if (found != null) return new Search(found, looked);
            throw new CudaException(library.variable() + "=" + explicit + " holds no " + library.names()
                    + ": point it at the library file or the directory that holds it, or unset it to search the usual places");
        }
        for (Place place : places(library, env)) {
            Found found = inDirectory(library, place.dir(), place.why(), looked);
            if (found != null) return new Search(found, looked);
        }
        return new Search(null, looked);
    }

    private record Place(Path dir, String why) {}

    private static Found explicitSetting(Library library, Path path) {
        String why = library.variable();
        if (Files.isDirectory(path)) return inDirectory(library, path, why, new ArrayList<>());
        if (!Files.isRegularFile(path)) return null;
        // A file: trust the name's major version if it has one, else assume the newest we support.
        String name = path.getFileName().toString();
        int major = library.majors().getFirst();
        for (int m : library.majors()) if (name.startsWith(library.fileName(m))) major = m;
        List<Path> companions = new ArrayList<>();
        for (String companion : library.companions()) {
            Path c = path.resolveSibling(companion + ".so." + major);
            if (Files.exists(c)) companions.add(c);
        }
        return new Found(path, companions, major, why);
    }

    private static Found inDirectory(Library library, Path dir, String why, List<String> looked) {
        if (!Files.isDirectory(dir)) {
            looked.add(dir + " (" + why + "; no such directory)");
            return null;
        }
        for (int major : library.majors()) {
            Path file = dir.resolve(library.fileName(major));
            if (!Files.exists(file)) continue;
            List<Path> companions = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String companion : library.companions()) {
                Path c = dir.resolve(companion + ".so." + major);
                if (Files.exists(c)) companions.add(c); else missing.add(c.getFileName().toString());
            }
            if (missing.isEmpty()) return new Found(file, companions, major, why);
            looked.add(dir + " (" + why + "; has " + file.getFileName() + " but not " + String.join(", ", missing) + ")");
            return null;
        }
        looked.add(dir + " (" + why + ")");
        return null;
    }

    private static List<Place> places(Library library, Environment env) {
        List<Place> places = new ArrayList<>();
        String dirs = env.get("SER_CUDA_LIB_DIR");
        if (dirs != null) {
            for (String d : dirs.split(File.pathSeparator)) if (!d.isBlank()) places.add(new Place(Path.of(d.trim()), "SER_CUDA_LIB_DIR"));
        }
        for (String variable : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(variable);
            if (home != null) toolkit(places, Path.of(home), variable);
        }
        toolkit(places, env.under("/usr/local/cuda"), "CUDA toolkit");
        for (Path versioned : newestFirst(children(env.under("/usr/local"), "cuda-"), "cuda-")) toolkit(places, versioned, "CUDA toolkit");
        for (Path sitePackages : sitePackages(env)) {
            for (String wheelDir : library.wheelDirs()) places.add(new Place(sitePackages.resolve(wheelDir), "pip wheel"));
        }
        String conda = env.get("CONDA_PREFIX");
        if (conda != null) places.add(new Place(Path.of(conda, "lib"), "CONDA_PREFIX"));
        return places;
    }

    private static void toolkit(List<Place> places, Path root, String why) {
        places.add(new Place(root.resolve("lib64"), why));
        places.add(new Place(root.resolve("targets/x86_64-linux/lib"), why));
    }

    /** Python site-packages and dist-packages directories, most specific environment first, newest Python first in each. */
    static List<Path> sitePackages(Environment env) {
        List<Path> result = new ArrayList<>();
        for (String variable : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String prefix = env.get(variable);
            if (prefix != null) addPythons(result, Path.of(prefix, "lib"), "site-packages");
        }
        addPythons(result, env.home().resolve(".local/lib"), "site-packages");
        for (String lib : List.of("/usr/local/lib", "/usr/lib")) {
            for (String kind : List.of("dist-packages", "site-packages")) addPythons(result, env.under(lib), kind);
        }
        return result;
    }

    private static void addPythons(List<Path> result, Path lib, String kind) {
        for (Path python : newestFirst(children(lib, "python3"), "python")) {
            Path packages = python.resolve(kind);
            if (Files.isDirectory(packages)) result.add(packages);
        }
    }

    private static List<Path> children(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Sorts "cuda-13.0", "cuda-12.10", "cuda-12.4" (or "python3.12", "python3") by their version numbers, newest first. */
    static List<Path> newestFirst(List<Path> dirs, String prefix) {
        Comparator<Path> byVersion = (a, b) -> compareVersions(version(a, prefix), version(b, prefix));
        return dirs.stream().sorted(byVersion.reversed().thenComparing(Comparator.naturalOrder())).toList();
    }

    private static int[] version(Path p, String prefix) {
        String v = p.getFileName().toString().substring(prefix.length());
        String[] parts = v.split("\\.");
        int[] numbers = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                numbers[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                numbers[i] = -1;
            }
        }
        return numbers;
    }

    private static int compareVersions(int[] a, int[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] : -1, y = i < b.length ? b[i] : -1;
            if (x != y) return Integer.compare(x, y);
        }
        return 0;
    }
}
