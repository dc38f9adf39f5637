package dev.ser.app.parity;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.cli.UsageException;
import dev.ser.app.device.DeviceOption;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.parity.Comparison;
import dev.ser.engine.parity.ParityCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ser parity CASE.safetensors...}: runs reference cases written by another framework through the
 * engine and prints, per tensor, the max absolute and relative error. Exit status 1 when any tensor is
 * past the tolerance, so scripts and CI can use it.
 */
public final class ParityCommand implements Command {
    @Override public String name() { return "parity"; }

    @Override public String summary() { return "run reference cases (PyTorch safetensors) through the engine; per-tensor errors"; }

    @Override public String usage() {
        return """
                usage: ser parity CASE.safetensors|DIR... [--tolerance 1e-9] [--device cpu|cuda|emulated]

                Each file holds inputs, parameters (PyTorch state_dict names) and the reference's outputs,
                gradients (grad.*) and post-step parameters (after_stepK.*); __metadata__.case says what was
                computed (the format of ../shared/reference/torch; see ../shared/README.md). Cases run in
                float64. LSTM cases run through both implementations (reference ops and the fused kernel), on
                the CPU or, with --device cuda, on the GPU (emulated: the CUDA kernels run on the CPU).

                Supported modules: LSTM (stacked, bidirectional, lengths, initial state), cross_entropy
                (class weights, label smoothing), "LSTM -> last layer's h_n -> Linear -> cross_entropy(mean)"
                with adam|adamw, StepLR and clip_grad_norm.

                Exit status: 0 all within tolerance, 1 some tensor past it, 2 bad usage or unreadable file.
                  ser parity ../shared/reference/torch""";
    }

    @Override public int run(Args args) throws IOException {
        double tolerance = args.number("tolerance", 1e-9);
        Backend backend = DeviceOption.open(args.choice("device", "cpu", "cpu", "cuda", "auto", "emulated"));
        args.finish();
        List<Path> files = new ArrayList<>();
        for (String p : args.positional()) files.addAll(caseFiles(Path.of(p)));
        if (files.isEmpty()) throw new UsageException("give one or more case files or folders (ser help parity)");
        int failed = 0;
        for (Path f : files) {
            SafeTensors st;
            try {
                st = SafeTensors.read(f);
            } catch (IOException e) {
                throw new UsageException(e.getMessage());
            }
            ParityCase.Result r;
            try {
                r = ParityCase.run(st, backend);
            } catch (IllegalArgumentException e) {
                throw new UsageException(f + ": " + e.getMessage());
            }
            boolean ok = r.within(tolerance);
            if (!ok) failed++;
            System.out.printf("%s  %s  (%s; worst rel %.3e, tolerance %.1e)%n", ok ? "PASS" : "FAIL", f.getFileName(), r.module(), r.worstRelError(), tolerance);
            for (Comparison c : r.comparisons()) System.out.println((c.within(tolerance) ? "    " : "  ! ") + c);
        }
        System.out.printf("%d case file(s): %d passed, %d failed%n", files.size(), files.size() - failed, failed);
        return failed == 0 ? 0 : 1;
    }

    private static List<Path> caseFiles(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                return s.filter(f -> f.toString().endsWith(".safetensors")).sorted().toList();
            }
        }
        if (!Files.exists(p)) throw new UsageException("no such file or folder: " + p);
        return List.of(p);
    }
}
