package dev.ser.app.parity;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.cli.UsageException;

/** {@code ser parity CASE.safetensors...}: runs reference cases through the engine (filled in with the engine). */
public final class ParityCommand implements Command {
    @Override public String name() { return "parity"; }

    @Override public String summary() { return "run PyTorch reference cases (safetensors) through the engine and compare"; }

    @Override public String usage() {
        return "usage: ser parity CASE.safetensors...";
    }

    @Override public int run(Args args) {
        args.finish();
        throw new UsageException("not built yet");
    }
}
