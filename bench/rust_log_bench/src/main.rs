//! The Rust `rerun` crate on Rerun's log_benchmark workloads, printing one JSON object in
//! bench_log's format: `rust_log_bench WORKLOAD SINK COUNT [PATH]` (see bench/bench_log.c).
use std::time::Instant;

fn rng(state: &mut u64) -> u64 {
    *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    *state >> 11
}

fn rng_float(state: &mut u64) -> f32 {
    (rng(state) >> 29) as f32 / (1u64 << 24) as f32 - 0.5
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: rust_log_bench WORKLOAD memory|file COUNT [PATH]");
        std::process::exit(1);
    }
    let (workload, sink, count) = (&args[1], &args[2], args[3].parse::<u64>()?);
    let builder = rerun::RecordingStreamBuilder::new("rust_log_bench");
    let (rec, memory) = if sink == "memory" {
        let (rec, storage) = builder.memory()?;
        (rec, Some(storage))
    } else {
        (builder.save(&args[4])?, None)
    };
    let mut state = 0x2545F4914F6CDD1Du64;
    let mut calls = 0u64;
    let mut t0 = Instant::now();
    match workload.as_str() {
        "scalars" => {
            let paths: Vec<String> = (0..600).map(|e| format!("scalars/e{e}")).collect();
            let mut values = vec![0f64; 600];
            for step in 0..count {
                rec.set_time_sequence("step", step as i64);
                for (e, path) in paths.iter().enumerate() {
                    values[e] += rng_float(&mut state) as f64;
                    rec.log(path.as_str(), &rerun::Scalars::single(values[e]))?;
                    calls += 1;
                }
            }
        }
        "points3d_large_batch" => {
            let pos: Vec<[f32; 3]> = (0..count)
                .map(|_| [rng_float(&mut state), rng_float(&mut state), rng_float(&mut state)])
                .collect();
            let colors: Vec<u32> = (0..count).map(|_| rng(&mut state) as u32).collect();
            let radii: Vec<f32> = (0..count).map(|_| rng_float(&mut state) + 0.5).collect();
            t0 = Instant::now();
            rec.log(
                "large_batch",
                &rerun::Points3D::new(pos).with_colors(colors).with_radii(radii),
            )?;
            calls = 1;
        }
        "points3d_many_individual" => {
            for i in 0..count {
                let p = [rng_float(&mut state), rng_float(&mut state), rng_float(&mut state)];
                rec.set_time_sequence("frame", i as i64);
                rec.log("single_point", &rerun::Points3D::new([p]))?;
                calls += 1;
            }
        }
        "image" => {
            let side = 1024usize;
            let mut img: Vec<u8> = (0..side * side * 4).map(|_| rng(&mut state) as u8).collect();
            for i in 0..count {
                img[0] = i as u8;
                rec.set_time_sequence("frame", i as i64);
                rec.log(
                    "image",
                    &rerun::Image::from_rgba32(img.clone(), [side as u32, side as u32]),
                )?;
                calls += 1;
            }
        }
        other => {
            eprintln!("unknown workload {other}");
            std::process::exit(1);
        }
    }
    let t1 = Instant::now();
    rec.flush_blocking()?;
    let t2 = Instant::now(); /* as bench_log: the sink's bytes are taken after the clock */
    let mut bytes = 0u64;
    if let Some(storage) = &memory {
        bytes = storage.drain_as_bytes()?.len() as u64;
    }
    drop(rec);
    if sink != "memory" {
        bytes = std::fs::metadata(&args[4])?.len();
    }
    println!(
        "{{\"workload\": \"{workload}\", \"sink\": \"{sink}\", \"count\": {count}, \"calls\": {calls}, \
         \"seconds\": {:.6}, \"log_seconds\": {:.6}, \"sink_bytes\": {bytes}}}",
        (t2 - t0).as_secs_f64(),
        (t1 - t0).as_secs_f64()
    );
    Ok(())
}
