package dev.ser.app;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.Command;
import dev.ser.app.cli.UsageException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code ser COMMAND [options]}: the entry point of the launcher. */
public final class Main {
    private Main() {}

    /** Every command, in the order {@code ser help} lists them. One line each. */
    static List<Command> commands() {
        return List.of(
                new dev.ser.app.demo.DemoCommand(),
                new dev.ser.app.train.TrainCommand(),
                new dev.ser.app.evaluate.EvaluateCommand(),
                new dev.ser.app.ensemble.EnsembleCommand(),
                new dev.ser.app.features.FeaturesCommand(),
                new dev.ser.app.parity.ParityCommand(),
                new dev.ser.app.predict.PredictCommand()
        );
    }

    /** Option names that take no value, across all commands. */
    public static final Set<String> FLAGS = Set.of("help", "htk", "resume", "bidirectional", "stream", "quiet", "json", "deltas", "tf32");

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        Map<String, Command> byName = new LinkedHashMap<>();
        for (Command c : commands()) byName.put(c.name(), c);
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
            if (argv.length > 1 && byName.containsKey(argv[1])) {
                System.out.println(byName.get(argv[1]).usage());
                return 0;
            }
            System.out.println("usage: ser COMMAND [options]    (ser help COMMAND for its options)\n");
            for (Command c : byName.values()) System.out.printf("  %-10s %s%n", c.name(), c.summary());
            return argv.length == 0 ? 2 : 0;
        }
        Command command = byName.get(argv[0]);
        if (command == null) {
            System.err.println("ser: unknown command '" + argv[0] + "'; the commands are: " + String.join(", ", byName.keySet()));
            return 2;
        }
        try {
            Args args = Args.parse(Arrays.asList(argv).subList(1, argv.length), FLAGS);
            if (args.flag("help")) {
                System.out.println(command.usage());
                return 0;
            }
            return command.run(args);
        } catch (UsageException e) {
            System.err.println("ser " + command.name() + ": " + e.getMessage());
            return 2;
        } catch (OutOfMemoryError e) {
            System.err.println("ser " + command.name() + ": out of memory. Give the JVM more with SER_JAVA_OPTS=-Xmx8g,"
                    + " or lower --batch-size / the number of frames.");
            return 3;
        } catch (Exception e) {
            System.err.println("ser " + command.name() + ": " + e.getMessage());
            if (System.getenv("SER_DEBUG") != null) e.printStackTrace();
            else System.err.println("(set SER_DEBUG=1 for the stack trace)");
            return 1;
        }
    }
}
