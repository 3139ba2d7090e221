"""How long `pencet serve` waits before it starts a dead consumer again."""

from pencet.console.management.commands.serve import restart_delay


def test_a_consumer_that_dies_once_is_back_after_a_second():
    assert restart_delay(previous=None, lived=3.0) == 1


def test_a_consumer_that_keeps_dying_at_start_waits_longer_each_time_up_to_half_a_minute():
    delays, previous = [], None
    for _ in range(7):
        previous = restart_delay(previous=previous, lived=2.0)
        delays.append(previous)
    assert delays == [1, 2, 4, 8, 16, 30, 30]


def test_a_consumer_that_ran_a_while_before_dying_is_restarted_quickly_again():
    assert restart_delay(previous=30, lived=600.0) == 1
    assert restart_delay(previous=16, lived=59.0) == 30
