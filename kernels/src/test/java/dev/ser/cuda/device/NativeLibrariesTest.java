package dev.ser.cuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ser.cuda.device.NativeLibraries.Environment;
import dev.ser.cuda.device.NativeLibraries.Search;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search order and the not-found message, on fake library files under a temporary "/" and home. */
class NativeLibrariesTest {
    @TempDir Path root;

    private final Map<String, String> variables = new HashMap<>();

    private Environment env() { return new Environment(variables, root, root.resolve("home/me")); }

    private Path touch(String relative) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "not really ELF");
    }

    private Path cublasIn(String dir, int major) throws IOException {
        touch(dir + "/libcublasLt.so." + major);
        return touch(dir + "/libcublas.so." + major);
    }

    @Test void nothingInstalledListsEveryPlaceAndTheVariableToSet() {
        Search s = NativeLibraries.search(NativeLibraries.CUBLAS, env());
        assertNull(s.found());
        String message = NativeLibraries.notFoundMessage(NativeLibraries.CUBLAS, s.looked());
        assertTrue(message.startsWith("cuBLAS not found: looked for libcublas.so.13 or libcublas.so.12"), message);
        assertTrue(message.contains(root.resolve("usr/local/cuda/lib64").toString()), message);
        assertTrue(message.contains(root.resolve("usr/local/cuda/targets/x86_64-linux/lib").toString()), message);
        assertTrue(message.contains("Set SER_CUBLAS_LIB"), message);
        assertTrue(message.contains("nvidia/cu13/lib"), message);
    }

    @Test void theToolkitInUsrLocalCudaIsFound() throws IOException {
        Path lib = cublasIn("usr/local/cuda/lib64", 13);
        var found = NativeLibraries.search(NativeLibraries.CUBLAS, env()).found();
        assertEquals(lib, found.file());
        assertEquals(13, found.major());
        assertEquals(List.of(root.resolve("usr/local/cuda/lib64/libcublasLt.so.13")), found.companions());
    }

    @Test void withinADirectoryTheNewestMajorWins() throws IOException {
        cublasIn("usr/local/cuda/lib64", 12);
        Path thirteen = cublasIn("usr/local/cuda/lib64", 13);
        assertEquals(thirteen, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
    }

    @Test void versionedToolkitsAreSearchedNewestFirst() throws IOException {
        cublasIn("usr/local/cuda-12.4/targets/x86_64-linux/lib", 12);
        Path newest = cublasIn("usr/local/cuda-12.10/lib64", 12);
        assertEquals(newest, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
    }

    @Test void cudaHomeComesBeforeUsrLocalCuda() throws IOException {
        cublasIn("usr/local/cuda/lib64", 13);
        Path home = cublasIn("opt/cuda12/lib64", 12);
        variables.put("CUDA_HOME", root.resolve("opt/cuda12").toString());
        assertEquals(home, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
    }

    @Test void serCudaLibDirComesBeforeCudaHome() throws IOException {
        cublasIn("opt/cuda12/lib64", 12);
        Path mine = cublasIn("mine", 12);
        variables.put("CUDA_HOME", root.resolve("opt/cuda12").toString());
        variables.put("SER_CUDA_LIB_DIR", root.resolve("elsewhere") + ":" + root.resolve("mine"));
        assertEquals(mine, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
    }

    @Test void theLibrarysOwnVariableMayNameAFile() throws IOException {
        cublasIn("usr/local/cuda/lib64", 13);
        Path file = cublasIn("custom", 12);
        variables.put("SER_CUBLAS_LIB", file.toString());
        var found = NativeLibraries.search(NativeLibraries.CUBLAS, env()).found();
        assertEquals(file, found.file());
        assertEquals(12, found.major());
        assertEquals(List.of(root.resolve("custom/libcublasLt.so.12")), found.companions());
    }

    @Test void theLibrarysOwnVariableMayNameADirectory() throws IOException {
        Path file = cublasIn("custom", 12);
        variables.put("SER_CUBLAS_LIB", root.resolve("custom").toString());
        assertEquals(file, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
    }

    @Test void aWrongExplicitSettingIsAnErrorNotAFallback() throws IOException {
        cublasIn("usr/local/cuda/lib64", 13);
        variables.put("SER_CUBLAS_LIB", root.resolve("empty").toString());
        CudaException e = assertThrows(CudaException.class, () -> NativeLibraries.search(NativeLibraries.CUBLAS, env()));
        assertTrue(e.getMessage().startsWith("SER_CUBLAS_LIB=" + root.resolve("empty") + " holds no libcublas.so.13 or libcublas.so.12"), e.getMessage());
    }

    @Test void aDirectoryWithoutTheCompanionIsSkippedAndSaysSo() throws IOException {
        touch("usr/local/cuda/lib64/libcublas.so.13");
        Path complete = cublasIn("usr/local/cuda-13.0/lib64", 13);
        Search s = NativeLibraries.search(NativeLibraries.CUBLAS, env());
        assertEquals(complete, s.found().file());
        assertTrue(s.looked().stream().anyMatch(l -> l.contains("has libcublas.so.13 but not libcublasLt.so.13")), s.looked().toString());
    }

    @Test void pipWheelsOfCuda13AndCuda12AreFound() throws IOException {
        Path cu12 = cublasIn("usr/local/lib/python3.10/dist-packages/nvidia/cublas/lib", 12);
        assertEquals(cu12, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
        Path cu13 = cublasIn("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib", 13);
        assertEquals(cu13, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file(), "newest Python first");
    }

    @Test void anActiveVirtualEnvironmentComesBeforeTheSystemPython() throws IOException {
        cublasIn("usr/lib/python3/dist-packages/nvidia/cublas/lib", 12);
        Path venv = cublasIn("work/venv/lib/python3.11/site-packages/nvidia/cu13/lib", 13);
        variables.put("VIRTUAL_ENV", root.resolve("work/venv").toString());
        assertEquals(venv, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
    }

    @Test void userSitePackagesAreSearched() throws IOException {
        Path user = cublasIn("home/me/.local/lib/python3.12/site-packages/nvidia/cublas/lib", 12);
        assertEquals(user, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
    }

    @Test void toolkitComesBeforePipWheels() throws IOException {
        cublasIn("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib", 13);
        Path toolkit = cublasIn("usr/local/cuda/targets/x86_64-linux/lib", 12);
        assertEquals(toolkit, NativeLibraries.search(NativeLibraries.CUBLAS, env()).found().file());
    }

    @Test void cudnnNineIsFoundInItsWheelWithoutCompanions() throws IOException {
        Path cudnn = touch("usr/local/lib/python3.12/dist-packages/nvidia/cudnn/lib/libcudnn.so.9");
        var found = NativeLibraries.search(NativeLibraries.CUDNN, env()).found();
        assertEquals(cudnn, found.file());
        assertTrue(found.companions().isEmpty());
        String message = NativeLibraries.notFoundMessage(NativeLibraries.CUDNN, List.of("x"));
        assertTrue(message.startsWith("cuDNN not found: looked for libcudnn.so.9 in"), message);
        assertTrue(message.contains("SER_CUDNN_LIB"), message);
    }
}
