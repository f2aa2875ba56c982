package org.scanline.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.scanline.LineStream;
import org.scanline.ScanLineClassifier;
import org.scanline.dataset.Datasets;
import org.scanline.train.TrainedModel;
import org.scanline.train.TrainingConfig;
import org.scanline.train.TrainingSession;

/**
 * Child-JVM workload of {@link NoNetworkTest}: tiny training, export, classification and streaming
 * with networking denied. It first checks that the network really is unreachable, and records every
 * URL connection the JVM attempts (a {@link ProxySelector} sees each one, including DJL's model-zoo
 * downloads), so an attempt that a library swallows still counts. Exit 0 and a last line {@code OK}
 * mean success.
 */
public final class NoNetworkProbe {
    static final int LINES = TinyNpz.LINES;
    static final int PIXELS = TinyNpz.PIXELS;

    private NoNetworkProbe() {
    }

    /**
     * @param args a working folder
     * @throws Exception on any failure (the test reads the exit status)
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("1.1.1.1", 443), 2000);
            System.out.println("NETWORK REACHABLE: this probe must run without a network");
            System.exit(3);
        } catch (IOException expected) {
            System.out.println("network denied: " + expected.getMessage());
        }

        List<URI> attempts = new CopyOnWriteArrayList<>();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                attempts.add(uri);
                throw new IllegalStateException("network access attempted: " + uri);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException e) {
                attempts.add(uri);
            }
        });

        Path dir = Path.of(args[0]);
        Path data = TinyNpz.threeClasses(dir);
        TrainingConfig config = TinyNpz.causalRun(dir, data).epochs(2).build();
        Path run;
        try (TrainedModel m = TrainingSession.create(config).fit(Datasets.read(data))) {
            run = m.runDirectory();
        }
        Path model = dir.resolve("model.onnx");
        int code = Main.commandLine().execute("export", run.toString(), "--out", model.toString());
        if (code != 0) {
            throw new IllegalStateException("export exited " + code);
        }
        code = Main.commandLine().execute("classify", model.toString(), data.toString());
        if (code != 0) {
            throw new IllegalStateException("classify exited " + code);
        }
        float[] images = Datasets.read(data).images();
        try (ScanLineClassifier c = ScanLineClassifier.open(model); LineStream s = c.newStream()) {
            for (int l = 0; l < LINES; l++) {
                s.push(java.util.Arrays.copyOfRange(images, l * PIXELS, (l + 1) * PIXELS));
            }
        }
        if (!attempts.isEmpty()) {
            throw new IllegalStateException("network access attempted: " + attempts);
        }
        System.out.println("ai.djl.offline=" + System.getProperty("ai.djl.offline"));
        System.out.println("OK");
    }
}
