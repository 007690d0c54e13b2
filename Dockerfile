# onnx-serving: built from source, run on a slim glibc JRE (ONNX Runtime's native libraries need glibc, so no Alpine).
#
#   docker build -t onnx-serving .
#   docker run --rm -p 8080:8080 onnx-serving
#
# Uses no BuildKit-only syntax: the classic builder, BuildKit and podman/buildah build it alike.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /workspace

# Maven, the plugins and the dependencies change only with the build files, so this layer stays cached while the
# code changes. Spotless formats sources for developers; it has no business in an image build.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q -Dspotless.skip=true dependency:go-offline

COPY src/main/ src/main/
COPY models/ models/
RUN ./mvnw -B -q -Dspotless.skip=true -Dmaven.test.skip=true package \
    && cp target/onnx-serving-*.jar application.jar \
    && java -Djarmode=tools -jar application.jar extract --layers --destination extracted

# ONNX Runtime's jar carries native libraries for five platforms (about 70 MB compressed). Keep the one this image
# runs on as plain files the JVM loads in place (onnxruntime.native.path below), and drop them all from the jar:
# nothing is extracted at run time, so a read-only root file system and a noexec /tmp both work.
RUN set -eu; \
    case "$(uname -m)" in \
        x86_64) platform=linux-x64 ;; \
        aarch64) platform=linux-aarch64 ;; \
        *) echo "ONNX Runtime ships no Linux library for $(uname -m)" >&2; exit 1 ;; \
    esac; \
    ort=$(ls extracted/dependencies/lib/onnxruntime-*.jar); \
    mkdir -p native unpacked; \
    (cd unpacked && jar xf "../$ort"); \
    cp unpacked/ai/onnxruntime/native/$platform/libonnxruntime.so \
       unpacked/ai/onnxruntime/native/$platform/libonnxruntime4j_jni.so native/; \
    rm -rf unpacked/ai/onnxruntime/native; \
    mv unpacked/META-INF/MANIFEST.MF ort-manifest.mf; \
    rm "$ort"; \
    jar --create --file "$ort" --manifest ort-manifest.mf -C unpacked .; \
    rm -rf unpacked ort-manifest.mf

# The Hugging Face tokenizer's native library (DJL) is extracted here, once, into a cache folder shipped in the image:
# at run time DJL finds it there and loads it in place, so nothing is written or executed from /tmp (which may be
# read-only or noexec). Loading one real tokenizer makes DJL itself choose the folder's name for this platform.
RUN printf '%s\n' \
        'public class PrepareTokenizer {' \
        '    public static void main(String[] args) throws Exception {' \
        '        ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(java.nio.file.Path.of(args[0])).close();' \
        '    }' \
        '}' > /tmp/PrepareTokenizer.java \
    && java -DDJL_CACHE_DIR=/workspace/djl -Dai.djl.offline=true -cp 'extracted/dependencies/lib/*' \
        /tmp/PrepareTokenizer.java models/minilm/tokenizer.json \
    && chmod -R a+rX /workspace/djl \
    && ls /workspace/djl/tokenizers/*/libtokenizers.so

FROM eclipse-temurin:25-jre

RUN groupadd --gid 10001 onnx \
    && useradd --uid 10001 --gid onnx --home-dir /app --no-create-home --shell /usr/sbin/nologin onnx

WORKDIR /app
# Least to most often changed, so a code change ships only the last layer.
COPY --from=build /workspace/native/ native/
COPY --from=build /workspace/djl/ djl/
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/models/ /models/
COPY --from=build /workspace/extracted/application/ ./

# Files stay root-owned and read-only for the service user. Mount a volume on /models to serve other models.
USER 10001:10001
ENV SERVING_REPOSITORY_PATH=/models \
    DJL_CACHE_DIR=/app/djl \
    JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080

# The heap follows the container's memory limit (JAVA_OPTS, replace it to change the sizing); the rest is native
# memory for ONNX Runtime's sessions and the JVM itself. Temp files (Tomcat's) go to /tmp: mount a writable volume
# there when the root file system is read-only. exec: the JVM is PID 1 and receives SIGTERM for graceful shutdown.
ENTRYPOINT ["sh", "-c", "exec java -Djava.io.tmpdir=/tmp -Donnxruntime.native.path=/app/native --enable-native-access=ALL-UNNAMED $JAVA_OPTS -jar /app/application.jar \"$@\"", "onnx-serving"]

LABEL org.opencontainers.image.title="onnx-serving" \
      org.opencontainers.image.description="Serve a folder of ONNX models as a production HTTP API"
