package dev.onnxserving.kafka;

import static dev.onnxserving.kafka.KafkaTestBroker.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the tests check of a binding's output records: which input each answers, and the order per partition. */
final class OutputChecks {

    /** An input record, by its partition and offset. */
    record Input(int partition, long offset) {}

    private OutputChecks() {}

    static Input input(ConsumerRecord<byte[], byte[]> output) {
        return new Input(
                Integer.parseInt(header(output, OutputRecords.INPUT_PARTITION_HEADER)),
                Long.parseLong(header(output, OutputRecords.INPUT_OFFSET_HEADER)));
    }

    static Set<Input> inputs(List<ConsumerRecord<byte[], byte[]>> outputs) {
        Set<Input> inputs = new HashSet<>();
        outputs.forEach(output -> inputs.add(input(output)));
        return inputs;
    }

    /**
     * Every output is in its input's partition and, in each of the {@code partitions}, the inputs' offsets rise (a
     * repeated output, at-least-once, restarts no earlier).
     */
    static void assertOrderPerPartition(List<ConsumerRecord<byte[], byte[]>> answers, int partitions) {
        Map<Integer, List<Long>> offsets = new TreeMap<>();
        Set<Input> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> answer : answers) {
            Input input = input(answer);
            assertThat(answer.partition())
                    .as("output partition of input " + input)
                    .isEqualTo(input.partition());
            if (seen.add(input)) {
                offsets.computeIfAbsent(answer.partition(), partition -> new ArrayList<>())
                        .add(input.offset());
            }
        }
        assertThat(offsets).hasSize(partitions);
        offsets.forEach((partition, list) ->
                assertThat(list).as("input offsets in partition " + partition).isSorted());
    }
}
