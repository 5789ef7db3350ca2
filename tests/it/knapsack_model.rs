//! The knapsack model against brute force, and its rewind against its own past.

use learndeck::lesson::Timeline;
use learndeck::lesson::timeline::{UndoLog, Undoable};
use learndeck::lessons::knapsack::model::{
    Cursor, Item, Knapsack, Last, Mode, Order, Value, Volume, greedy_by_ratio,
};
use proptest::prelude::*;

fn solve(items: &[Item], capacity: usize, mode: Mode, order: Order) -> Knapsack {
    solve_filling(items, capacity, mode, order, Volume::AtMost)
}

fn solve_filling(
    items: &[Item],
    capacity: usize,
    mode: Mode,
    order: Order,
    volume: Volume,
) -> Knapsack {
    let mut model = Knapsack::new(items.to_vec(), capacity, mode, order, volume);
    while model.step().is_some() {}
    assert_eq!(model.cursor(), Cursor::Done);
    model
}

/// Best value over all 2^n subsets that fit.
fn brute_force(items: &[Item], capacity: usize) -> u64 {
    (0u32..1 << items.len())
        .filter_map(|mask| {
            let picked = items
                .iter()
                .enumerate()
                .filter(|(at, _)| mask & (1 << at) != 0);
            let weight: usize = picked.clone().map(|(_, it)| it.weight).sum();
            (weight <= capacity).then(|| picked.map(|(_, it)| it.value).sum())
        })
        .max()
        .unwrap_or(0)
}

/// For each total weight j ≤ capacity, the best value of a subset weighing
/// exactly j (None where no subset does): the exact fill's last row.
fn brute_force_exact(items: &[Item], capacity: usize) -> Vec<Option<u64>> {
    let mut best = vec![None; capacity + 1];
    for mask in 0u32..1 << items.len() {
        let picked = items
            .iter()
            .enumerate()
            .filter(|(at, _)| mask & (1 << at) != 0);
        let weight: usize = picked.clone().map(|(_, it)| it.weight).sum();
        let value: u64 = picked.map(|(_, it)| it.value).sum();
        if weight <= capacity {
            best[weight] = best[weight].max(Some(value));
        }
    }
    best
}

/// Best value over every vector of copy counts that fits (items reusable).
fn brute_force_unbounded(items: &[Item], capacity: usize) -> u64 {
    fn go(items: &[Item], room: usize) -> u64 {
        let Some((first, rest)) = items.split_first() else {
            return 0;
        };
        (0..=room / first.weight)
            .map(|copies| copies as u64 * first.value + go(rest, room - copies * first.weight))
            .max()
            .unwrap_or(0)
    }
    go(items, capacity)
}

fn items_strategy(max_items: usize, max_weight: usize) -> impl Strategy<Value = Vec<Item>> {
    prop::collection::vec((1..=max_weight, 0u64..=50), 1..=max_items).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(weight, value)| Item { weight, value })
            .collect()
    })
}

fn check_chosen(model: &Knapsack, items: &[Item], capacity: usize) {
    let chosen = model.chosen();
    let weight: usize = chosen.iter().map(|&i| items[i - 1].weight).sum();
    let value: u64 = chosen.iter().map(|&i| items[i - 1].value).sum();
    assert!(
        weight <= capacity,
        "chosen {chosen:?} weigh {weight} > {capacity}"
    );
    assert_eq!(value, model.best(), "chosen {chosen:?} must add up to best");
}

proptest! {
    #[test]
    fn best_is_the_brute_force_optimum(items in items_strategy(12, 30), capacity in 0usize..=60) {
        let expected = brute_force(&items, capacity);
        for mode in [Mode::TwoD, Mode::OneD] {
            let model = solve(&items, capacity, mode, Order::Reverse);
            prop_assert_eq!(model.best(), expected);
            check_chosen(&model, &items, capacity);
            let mut distinct = model.chosen();
            distinct.dedup();
            prop_assert_eq!(distinct, model.chosen(), "0/1 takes each item once");
        }
    }

    #[test]
    fn one_row_and_full_table_agree(items in items_strategy(10, 20), capacity in 0usize..=40) {
        let two = solve(&items, capacity, Mode::TwoD, Order::Reverse);
        let one = solve(&items, capacity, Mode::OneD, Order::Reverse);
        prop_assert_eq!(two.best(), one.best());
        prop_assert_eq!(two.chosen(), one.chosen());
        // The row ends equal to the table's last row.
        for j in 0..=capacity {
            prop_assert_eq!(Some(one.dp(j)), two.cell(items.len(), j));
        }
    }

    #[test]
    fn forward_order_solves_the_unbounded_problem(items in items_strategy(4, 8), capacity in 0usize..=15) {
        let model = solve(&items, capacity, Mode::OneD, Order::Forward);
        prop_assert!(model.is_unbounded());
        prop_assert_eq!(model.best(), brute_force_unbounded(&items, capacity));
        check_chosen(&model, &items, capacity);
        prop_assert_eq!(Some(model.cells_filled() + (model.chosen().len() + items.len()) as u64),
            model.total_steps());
    }

    #[test]
    fn every_reverse_row_runs_strictly_down(items in items_strategy(8, 20), capacity in 0usize..=40) {
        let mut model = Knapsack::new(items.clone(), capacity, Mode::OneD, Order::Reverse, Volume::AtMost);
        let mut visits: Vec<Vec<usize>> = vec![Vec::new(); items.len() + 1];
        while model.step().is_some() {
            if let Last::Fill(fill) = model.last() {
                visits[fill.i].push(fill.j);
            }
        }
        for (i, row) in visits.iter().enumerate().skip(1) {
            let w = items[i - 1].weight;
            let expected: Vec<usize> = (w..=capacity).rev().collect();
            prop_assert_eq!(row, &expected, "item {} of weight {}", i, w);
        }
    }

    #[test]
    fn stepping_back_restores_the_exact_state(
        items in items_strategy(6, 10),
        capacity in 0usize..=20,
        mode_1d in any::<bool>(),
        forward in any::<bool>(),
        exact in any::<bool>(),
        ahead in 0usize..200,
        back in 0usize..200,
    ) {
        let mode = if mode_1d { Mode::OneD } else { Mode::TwoD };
        let order = if forward { Order::Forward } else { Order::Reverse };
        let volume = if exact { Volume::Exact } else { Volume::AtMost };
        let mut line = UndoLog::new(Knapsack::new(items, capacity, mode, order, volume), 1_000);
        for _ in 0..ahead {
            line.step();
        }
        let earlier = line.model().clone();
        let steps = line.steps();
        let mut taken = 0;
        for _ in 0..back {
            if line.step() {
                taken += 1;
            }
        }
        for _ in 0..taken {
            prop_assert!(line.back());
        }
        prop_assert_eq!(line.model(), &earlier);
        prop_assert_eq!(line.steps(), steps);
    }
}

/// What an exact fill must report, given the brute force's row: the best
/// exact value and the lightest weight reaching it.
fn exact_answer(row: &[Option<u64>]) -> (u64, usize) {
    let best = row.iter().flatten().max().copied().unwrap_or(0);
    let at = row.iter().position(|&v| v == Some(best)).unwrap_or(0);
    (best, at)
}

fn as_option(value: Value) -> Option<u64> {
    value.finite()
}

proptest! {
    /// `fill = exact`: every cell of the last row is the best subset of
    /// exactly that weight (−∞ where none), the answer is the row's maximum,
    /// and the traceback lists items weighing exactly the answer's weight.
    #[test]
    fn exact_fill_equals_the_best_subset_of_each_exact_weight(
        items in items_strategy(10, 20),
        capacity in 0usize..=40,
    ) {
        let row = brute_force_exact(&items, capacity);
        let (best, at) = exact_answer(&row);
        for mode in [Mode::TwoD, Mode::OneD] {
            let model = solve_filling(&items, capacity, mode, Order::Reverse, Volume::Exact);
            let last: Vec<Option<u64>> = (0..=capacity).map(|j| as_option(model.last_row(j))).collect();
            prop_assert_eq!(&last, &row, "{:?}", mode);
            prop_assert_eq!(model.best(), best);
            prop_assert_eq!(model.answer_volume(), at);
            let chosen = model.chosen();
            let weight: usize = chosen.iter().map(|&i| items[i - 1].weight).sum();
            let value: u64 = chosen.iter().map(|&i| items[i - 1].value).sum();
            prop_assert_eq!((weight, value), (at, best), "chosen {:?}", chosen);
        }
    }

    /// The two fills answer alike: every exact packing fits, and the best
    /// fitting packing weighs exactly some j ≤ C (values are never negative).
    #[test]
    fn the_best_exact_weight_gives_the_at_most_answer(items in items_strategy(8, 15), capacity in 0usize..=30) {
        let exact = solve_filling(&items, capacity, Mode::TwoD, Order::Reverse, Volume::Exact);
        let atmost = solve(&items, capacity, Mode::TwoD, Order::Reverse);
        prop_assert_eq!(exact.best(), atmost.best());
    }
}

#[test]
fn exact_fill_marks_unreachable_weights() {
    // Weights 3 and 5: 1, 2, 4, 6 and 7 cannot be made exactly.
    let items = [
        Item {
            weight: 3,
            value: 4,
        },
        Item {
            weight: 5,
            value: 6,
        },
    ];
    let model = solve_filling(&items, 8, Mode::TwoD, Order::Reverse, Volume::Exact);
    let unreachable: Vec<usize> = (0..=8)
        .filter(|&j| model.last_row(j) == Value::NegInf)
        .collect();
    assert_eq!(unreachable, vec![1, 2, 4, 6, 7]);
    assert_eq!((model.best(), model.answer_volume()), (10, 8));
}

#[test]
fn the_default_instance_defeats_greedy() {
    let items: Vec<Item> = [(2, 5), (4, 8), (5, 7), (6, 10), (7, 9)]
        .iter()
        .map(|&(weight, value)| Item { weight, value })
        .collect();
    let optimum = brute_force(&items, 10);
    let (_, greedy) = greedy_by_ratio(&items, 10);
    assert!(greedy < optimum, "greedy {greedy} vs optimum {optimum}");
    assert!(brute_force_unbounded(&items, 10) > optimum);
}

#[test]
fn a_full_size_table_fills_every_cell() {
    let items: Vec<Item> = (1..=40)
        .map(|k| Item {
            weight: 7 * k % 997 + 1,
            value: (k * k) as u64,
        })
        .collect();
    let model = solve(&items, 10_000, Mode::TwoD, Order::Reverse);
    assert_eq!(model.cells_filled(), 40 * 10_001);
    // Every item fits at once here (weights add up to less than 10,000), so all are chosen.
    let total: usize = items.iter().map(|it| it.weight).sum();
    assert!(total <= 10_000);
    assert_eq!(model.chosen(), (1..=40).collect::<Vec<_>>());
}

/// The item lists a run's summary reports.
fn summary_items(preset: &str, seed: u64) -> (Vec<i64>, Vec<i64>) {
    let entry = learndeck::lessons::find("knapsack").expect("knapsack");
    let mut params = entry.defaults();
    params.set_text("preset", preset).expect("a preset");
    let lesson = (entry.build)(&params, seed).expect("builds");
    let summary = lesson.summary();
    let list = |key: &str| -> Vec<i64> {
        summary[key]
            .as_array()
            .expect("a list")
            .iter()
            .map(|v| v.as_integer().expect("whole"))
            .collect()
    };
    (list("weights"), list("values"))
}

#[test]
fn presets_draw_items_of_their_shape_from_the_seed() {
    assert_eq!(
        summary_items("custom", 5),
        (vec![2, 4, 5, 6, 7], vec![5, 8, 7, 10, 9]),
        "custom packs the typed items, whatever the seed"
    );
    for seed in 0..20 {
        let (sorted, _) = summary_items("sorted", seed);
        assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "{sorted:?}");
        let (reversed, _) = summary_items("reversed", seed);
        assert!(reversed.windows(2).all(|w| w[0] >= w[1]), "{reversed:?}");
        let (mut few, _) = summary_items("few-unique", seed);
        few.sort_unstable();
        few.dedup();
        assert!(few.len() <= 3, "{few:?}");
        let (weights, values) = summary_items("random", seed);
        assert_eq!((weights.len(), values.len()), (6, 6));
        assert!(weights.iter().all(|w| (1..=9).contains(w)));
        assert!(values.iter().all(|v| (1..=30).contains(v)));
        assert_eq!(
            summary_items("random", seed),
            (weights, values),
            "reproducible"
        );
    }
    assert_ne!(summary_items("random", 1), summary_items("random", 2));
}
