package dev.louie.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class DeviceTest {

    @Test
    void describesDevices() {
        assertThat(Device.cpu().kind()).isEqualTo(Device.Kind.CPU);
        assertThat(Device.cpu().orElseCpu()).isSameAs(Device.cpu());
        Device cuda = Device.cuda(1);
        assertThat(cuda.kind()).isEqualTo(Device.Kind.CUDA);
        assertThat(cuda.id()).isEqualTo(1);
        assertThat(cuda.fallsBackToCpu()).isFalse();
        assertThat(cuda.orElseCpu().fallsBackToCpu()).isTrue();
        assertThat(cuda.orElseCpu()).hasToString("cuda:1 (else cpu)").isNotEqualTo(cuda);
        assertThat(OnnxOptions.defaults().device()).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> Device.cuda(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void strictCudaFailsWithTheReasonWhenNoCudaProvider() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "CUDA provider present");
        OnnxOptions options = OnnxOptions.builder().device(Device.cuda(0)).build();
        assertThatThrownBy(() -> OnnxModel.load(TestModels.linear(), options))
                .isInstanceOf(OnnxException.class)
                .hasMessageContaining("CUDA device 0 cannot be used")
                .hasMessageContaining("onnxruntime_gpu")
                .hasMessageContaining("orElseCpu()");
    }

    @Test
    void cudaOrElseCpuFallsBackAndLogsWhy() {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA), "CUDA provider present");
        Logger logger = (Logger) LoggerFactory.getLogger(OnnxModel.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (OnnxModel m = OnnxModel.load(TestModels.linear(),
                OnnxOptions.builder().device(Device.cuda(0).orElseCpu()).build())) {
            assertThat(m.device()).isEqualTo(Device.cpu());
            assertThat(m.deviceFallbackReason()).hasValueSatisfying(r -> assertThat(r).contains("no CUDA execution provider"));
            assertThat(m.run(Map.of("x", Tensor.of(new float[] {0, 0}, 1, 2))).get("y").toFloatArray())
                    .containsExactly(10, 20);
            assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN)
                    .singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage())
                            .startsWith("ONNX model runs on the CPU instead of CUDA device 0: ")
                            .contains("onnxruntime_gpu"));
        } finally {
            logger.detachAppender(appender);
        }
    }
}
