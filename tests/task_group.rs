//! TaskGroup: children fail together; the parent gets every failure.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use resumable::time::{sleep, Instant};
use resumable::{spawn, yield_now, GroupError, JoinError, Runtime, TaskGroup};

type Log = Rc<RefCell<Vec<String>>>;

fn virtual_rt() -> Runtime {
    Runtime::builder().virtual_time(true).build().unwrap()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

struct Guard(Log, &'static str);

impl Drop for Guard {
    fn drop(&mut self) {
        self.0.borrow_mut().push(format!("{} dropped", self.1));
    }
}

#[test]
fn joining_waits_for_every_child_and_their_values_arrive_on_their_tasks() {
    let rt = virtual_rt();
    rt.block_on(async {
        let group = TaskGroup::<()>::new();
        let t0 = Instant::now();
        let a = group.spawn(async {
            sleep(ms(30)).await;
            Ok("a")
        });
        let b = group.spawn(async {
            sleep(ms(10)).await;
            Ok("b")
        });
        group.join().await.unwrap();
        assert_eq!(t0.elapsed(), ms(30));
        assert!(a.is_finished() && b.is_finished());
        assert_eq!((a.await.unwrap(), b.await.unwrap()), ("a", "b"));
    });
}

#[test]
fn a_failing_child_cancels_its_siblings_and_the_parent_gets_the_error() {
    let rt = virtual_rt();
    let log = Log::default();
    let l = log.clone();
    rt.block_on(async move {
        let group = TaskGroup::new();
        let l1 = l.clone();
        let sibling = group.spawn(async move {
            let _g = Guard(l1, "sibling");
            sleep(ms(1000)).await;
            Ok(())
        });
        let failing = group.spawn(async {
            sleep(ms(10)).await;
            Err::<(), _>("boom")
        });
        let t0 = Instant::now();
        let errors = group.join().await.unwrap_err();
        assert_eq!(t0.elapsed(), ms(10));
        assert!(matches!(errors[..], [GroupError::Failed("boom")]));
        assert!(matches!(sibling.await, Err(JoinError::Cancelled)));
        assert!(matches!(failing.await, Err(JoinError::Failed)));
    });
    assert_eq!(*log.borrow(), ["sibling dropped"]);
}

#[test]
fn the_parent_receives_every_failure_including_panics() {
    let rt = virtual_rt();
    rt.block_on(async {
        let group = TaskGroup::<String>::new();
        group.spawn(async {
            sleep(ms(10)).await;
            Err::<(), _>("first".to_string())
        });
        group.spawn(async {
            sleep(ms(10)).await;
            panic!("second");
            #[allow(unreachable_code)]
            Ok(())
        });
        group.spawn(async {
            sleep(ms(10)).await;
            Err::<(), _>("third".to_string())
        });
        let errors = group.join().await.unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["first", "panicked: second", "third"]);
    });
}

#[test]
fn cancelling_the_parent_task_cancels_the_children() {
    let rt = virtual_rt();
    let log = Log::default();
    let l = log.clone();
    rt.block_on(async move {
        let l2 = l.clone();
        let parent = spawn(async move {
            let group = TaskGroup::<()>::new();
            for name in ["child 1", "child 2"] {
                let l = l2.clone();
                group.spawn(async move {
                    let _g = Guard(l, name);
                    sleep(ms(1000)).await;
                    Ok(())
                });
            }
            group.join().await
        });
        sleep(ms(10)).await;
        parent.cancel();
        assert!(parent.await.unwrap_err().is_cancelled());
        yield_now().await; // the children drop their futures at their next step
    });
    assert_eq!(*log.borrow(), ["child 1 dropped", "child 2 dropped"]);
}

#[test]
fn a_child_spawned_after_a_failure_is_cancelled_at_once() {
    let rt = virtual_rt();
    rt.block_on(async {
        let group = TaskGroup::new();
        group.spawn(async { Err::<(), _>("early") });
        sleep(ms(1)).await;
        let late = group.spawn(async { Ok(1) });
        let errors = group.join().await.unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(late.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn an_empty_group_joins_at_once() {
    resumable::run(async {
        TaskGroup::<()>::new().join().await.unwrap();
    });
}

#[test]
fn cancel_stops_every_child_without_recording_an_error() {
    let rt = virtual_rt();
    rt.block_on(async {
        let group = TaskGroup::<()>::new();
        let t = group.spawn(async {
            sleep(ms(1000)).await;
            Ok(())
        });
        group.cancel();
        assert!(group.join().await.is_ok());
        assert!(t.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn a_long_lived_group_runs_many_short_children() {
    let rt = virtual_rt();
    let total = rt.block_on(async {
        let group = TaskGroup::<()>::new();
        let mut tasks = Vec::new();
        for i in 0..1000u64 {
            tasks.push(group.spawn(async move {
                sleep(ms(i % 7)).await;
                Ok(i)
            }));
            if i % 10 == 0 {
                yield_now().await;
            }
        }
        group.join().await.unwrap();
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap();
        }
        total
    });
    assert_eq!(total, (0..1000).sum::<u64>());
}
