/**
 * `npm run train -- --data ../shared/data/mask-crops [options]`: trains the mask classifier of issue 3
 * (frozen ImageNet MobileNetV2 + the paper's head) on the train split, validates on val, writes the
 * shipped model to public/models/mask-classifier with its model card and training curves, and reports
 * the shipped model's test metrics (measured after every choice is made; test never feeds a choice).
 *
 * Defaults are the paper's (SGD lr 0.001 momentum 0.85, batch 32, 12 epochs, constant rate, paper
 * augmentation). First shipped model (`--lr 0.01 --schedule cosine --epochs 24`), chosen on VALIDATION
 * only, frozen backbone, same 4 augmented copies:
 *   paper defaults            val acc 99.18 %, val loss 0.022, 4 unmasked faces missed;
 *   Adam 1e-3, 12 epochs      val acc 98.53–99.67 % over seeds 42/1/2 (unstable last epoch);
 *   SGD 0.01 cosine, 12 ep.   val acc 99.35–99.51 % over seeds, val loss 0.011–0.020;
 *   SGD 0.01 cosine, 24 ep.   val acc 99.51 % (flat over the last 8 epochs), val loss 0.012.
 * The cosine decay lets the last epochs settle instead of hopping between minima.
 *
 * It scored 99.76 % on test but misread dim, backlit, bearded webcam faces as masked (issue 6). The
 * shipped model now adds `--augmentation door --hidden 256` (door-camera photometry, photometric.ts),
 * chosen on val and on four FIXED shifts of val (domain-shifts.ts: dim, backlit, low-res, cast-dim),
 * at the app's threshold 0.25; "shift mean" is the mean accuracy over the four, "cost" 3 × missed
 * unmasked + false alarms summed over them (2,452 pictures):
 *   paper, 128 units          val 99.51 %, shift mean 96.33 %, cost 120;
 *   paper, 256 units          val 99.67 / 99.51 % (seeds 42 / 1), shift mean 94.98 / 94.78 %, cost 137 / 140;
 *   door, 128 units           val 99.18 / 99.51 / 99.35 % (seeds 42 / 1 / 2), shift mean 97.06 / 96.62 /
 *                             96.62 %, cost 120 / 121 / 133 (36 epochs or lr 0.02: no better);
 *   half paper, half door     val 99.67 %, shift mean 96.86 %, cost 107 (256 units, seed 42);
 *   door, 256 units           val 99.67 / 99.51 / 99.51 %, shift mean 97.19 / 96.53 / 97.06 %,
 *                             cost 109 / 137 / 114 — shipped (seed 42) until `--features rows` below.
 * The door recipe is consistently better on the shifts (backlit 97.7 % against 95.9 %) with val as good;
 * the threshold sweep on val plus shifts still puts the lowest cost at 0.25, so it stays.
 *
 * The shipped model then adds `--features rows` (mask-classifier-model.ts: the head reads block 16's
 * 7×7×320 map, Conv_1 left out, each of its 7 rows averaged: 2,240 features), chosen the same way plus
 * "val crops": val run through the app's own detector and crops (margin 0.25, crop-margin-sweep.ts).
 * Head-only comparison on cached block-16 maps (scratch; door recipe, 256 units; seeds 42 / 1 / 2):
 *   paper layout (Conv_1, global pool)   shift mean 97.02 / 96.66 / 96.49 %, cost 115 / 124 / 122,
 *                                        val crops 98.53 / 98.21 % (seeds 42 / 1);
 *   block 16, global pool (320)          shift mean 97.88 %, cost 78 (seed 42);
 *   block 16, 3 × 3 grid (2,880)         shift mean 98.04 %, cost 86;
 *   Conv_1, upper / lower halves         shift mean 97.64 %, cost 102;
 *   block 16, 7 rows (2,240)             shift mean 98.33 / 98.37 / 98.00 %, cost 65 / 68 / 93,
 *                                        val crops 99.67 / 99.84 %.
 * This script, seed 42: val 99.35 % (2 unmasked missed, 2 false alarms; before 99.67 %), shift mean
 * 98.00 % (97.19 %), cost 85 (109), val crops 99.51 % (98.86 %): better on everything but plain val, which
 * is 2 pictures worse. Measured after the choice: test 99.64 % (99.76 %); door photos (npm run eval:e2e)
 * 88.1 % of 59 (89.8 %), mAP 87.6 % (85.4 %); live fake camera, people labelled as annotated by most
 * of their boxes: 11 of 12 (9).
 *
 * The shipped model then adds `--app-crops .cache/app-crops` (`npm run app-crops` cuts every picture the
 * way the app does: its detector's face box grown by the 0.25 margin), so the head also learns the crops it
 * is given in use, not only the data set's tight crops. Same recipe, seeds 42 / 1 / 2, chosen on val as the
 * app cuts it ("val crops") and on its four shifts, with the original val and shifts kept as a guard:
 *   as shipped before (originals only)   val crops 99.51 / 99.67 / 99.35 %, crops shift mean 97.68 / 97.51 /
 *                                        97.92 %, crops cost 69 / 73 / 65; original val 99.35 %, shift mean
 *                                        98.00 %, cost 85 (seed 42);
 *   app crops only                       val crops 99.84 / 99.67 / 99.84 %, crops shift mean 98.37 / 98.37 /
 *                                        98.74 %, crops cost 58 / 56 / 43; but original val 98.04 %, 12
 *                                        unmasked faces missed (seed 42): tight crops no longer understood;
 *   originals + app crops (shipped)      val crops 99.84 / 100.00 / 99.67 %, crops shift mean 98.12 / 98.04 /
 *                                        98.37 %, crops cost 60 / 66 / 54; original val 99.84 / 99.67 / 99.51 %,
 *                                        shift mean 98.33 / 97.88 / 98.16 %, cost 81 / 102 / 87.
 * Better on the app's own crops for every seed; on the originals plain val as good or better, their shifts
 * mixed (seed 42 better than the model before, seeds 1 and 2 not). Each epoch now has twice the rows, so
 * twice the SGD steps; the originals alone for 48 epochs (the same steps, seed 42) give val crops 99.51 %,
 * crops shift mean 97.88 %, crops cost 66 (original val 99.35 %, shift mean 98.16 %, cost 83): the extra
 * steps explain a little of the gain, the app crops the rest. "App crops only" is `--data .cache/app-crops`
 * without `--app-crops`.
 * Measured after the choice
 * (report only): test 99.27 % (before 99.64 %), test as the app cuts it 99.39 %; door photos (npm run
 * eval:e2e) 93.2 % of 59 for each of the three seeds, against 88.1 / 93.2 / 91.5 % for the recipe before
 * (3- and 5-photo, the dim bearded man, now right; 7-photo, the same man, still read as masked); live fake
 * camera: 10 of 12 people counted right as before, but 7-photo is now counted masked instead of uncertain.
 *
 * Tried and not shipped (the code is in the commits named, then removed to keep this script to what ships):
 *   `--input-blur 2` (commit f59c0fa: a fixed Gaussian low-pass in front of the backbone, so sharp training
 *   faces and soft webcam faces look alike): val 98.86 %, shift mean 95.11 % (dim 96.41, backlit 94.13,
 *   low-res 95.92, cast-dim 93.96), both worse than shipped, though the door photos' crops liked it (6
 *   errors of 58 against 9 with margin-0 crops);
 *   `--pooling rows` (commit 5f91868: the upper and the lower rows of the 7×7 map pooled apart, 2 × 1280
 *   features, 3.62 MB): val 99.67 % (as shipped), shift mean 97.23 % against 97.19 %, but cost 114 against
 *   109; the door photos' crops (margin 0.25) scored the same 52 of 59.
 * Tried as scratch experiments (code not committed), same recipe and seed, 4 copies of an enlarged train split:
 *   synthetic masks: every train without_mask picture once more with a mask painted on from its BlazeFace
 *   keypoints (KN95, surgical or cloth shape; black, grey, white, blue or random colour; shading, ear loops),
 *   labelled with_mask, and the unmasked originals twice, so that a masked and an unmasked picture of the
 *   same face differ only by the mask: val 99.35 %, shift mean 96.74 % (low-res 94.13, backlit 96.41);
 *   the same plus a synthetic beard or goatee (textured, lips left visible) instead of the second unmasked
 *   copy: val 98.86 %, shift mean 95.64 %. Both worse than shipped; neither moved the door crops'
 *   confident errors (the bearded, dim faces stayed at P(without_mask) 0.01–0.07; 7 and 7 errors of 59
 *   against the shipped 7 in Node, margin-0.25 crops);
 *   the lower face only (rows 40–100 % of every picture, so the mask region gets more of the 224 pixels):
 *   val 97.23 %, shift mean 95.64 %; far worse, and 8 door-crop errors of 59.
 * Head-only on cached rows features (block 16, 7 rows), same recipe, seeds 42 / 1, against the same runs
 * without it (val 99.67 / 99.67 %, shift mean 98.33 / 98.25 %, cost 65 / 79, val crops 99.67 / 99.18 %):
 *   per-picture light normalization before the backbone, in training and in use (luma 1st–99th percentile
 *   stretched to full range, then a gamma that brings the mean luma to 0.45, the same on every channel, so a
 *   dim face looks like a bright one): val 99.02 / 99.35 %, shift mean 98.41 / 98.00 %, cost 65 / 81, val
 *   crops 99.18 / 99.51 %: no better on val or its shifts, so not shipped; the door crops (report only) lost
 *   most: 13 / 12 errors of 59 against 6 / 8, brightened bearded faces read as masked even more often;
 *   the mean of five heads (seeds 42, 1, 2, 3, 4; alone: shift mean 98.33 / 98.25 / 98.00 / 98.29 / 97.96 %,
 *   cost 65 / 79 / 93 / 78 / 92): val 99.84 %, shift mean 98.16 %, cost 79: no better than one head, at five
 *   times its size. The door crops show how noisy a 59-face figure is: 6 / 8 / 11 / 9 / 8 errors for the
 *   five seeds of one recipe, 8 for their mean, so a difference of one or two door faces says little;
 *   block 12's finer 14×14×96 map, each of its 14 rows averaged (1,344 features), beside block 16's rows, so
 *   the head sees lips and nostrils at twice the resolution: alone, shift mean 97.47 %, cost 148; joined
 *   as is, training diverged (shift mean 94.08 / 93.68 %); joined at 0.2 × scale, val 99.35 / 99.67 %,
 *   shift mean 97.75 / 98.04 %, cost 91 / 82: worse on the shifts than block 16 alone (door crops 5 / 8);
 *   MaskedFace-Net (../shared/data/maskedface-net, 4 door-augmented copies) added to the train split:
 *   `correct` and `Mask_Nose_Mouth` as with_mask, `Mask_Chin` (nose and mouth bare) as without_mask: val
 *   99.84 / 99.18 %, shift mean 98.04 / 98.16 %, cost 84 / 83, door crops 10 / 9 errors; `Mask_Chin` alone:
 *   val 99.84 / 99.84 %, shift mean 98.00 / 97.72 %, cost 87 / 106. No better on the shifts, and its
 *   pictures are all the same light-blue synthetic surgical mask on bright FFHQ faces (and CC BY-NC-SA, which
 *   a shipped model would inherit), so not used.
 * Tried with the full script (`--features wide-rows`, commit fe402dd: block 16's 7×7×960 depthwise
 * map, before its linear projection, each row averaged: 6,720 features, so the head gets the 960 channels
 * the projection mixes down to 320; 5.03 MB), same recipe, seed 42, app crops as shipped:
 *   lr 0.01 diverged (loss stuck at 8.5 from the first epoch: the ReLU6 features are all positive and large);
 *   lr 0.001: val crops 99.67 %, crops shift mean 98.37 %, crops cost 52; original val 99.18 %, shift mean
 *   97.92 %, cost 95; lr 0.003: val crops 99.35 %, crops shift mean 98.04 %, cost 56; original val 99.35 %,
 *   shift mean 97.55 %, cost 92. Against shipped (99.84 %, 98.12 %, 60; 99.84 %, 98.33 %, 81): a little
 *   better on the crops' shifts, worse on val crops and clearly worse on the originals, so not shipped.
 *   Door photos after that choice (report only, lr 0.001): 49 of 59 (shipped 55): the wider map reads more
 *   dim unmasked faces as masked, not fewer.
 * Kept as an option, not shipped: `--fine-tune 8` (fine-tune.ts: after the head, block 16 and the head trained
 * together at SGD lr 0.001, cosine, from the ImageNet block and the trained head, on block 15's cached maps;
 * 3.51 MB against 3.04). Shipped recipe plus `--fine-tune 8`, against the shipped model (val 99.84 %, shift
 * mean 98.33 %, cost 81; val crops 99.84 %, crops shift mean 98.12 %, crops cost 60):
 *   this script, seed 42          val 99.51 %, shift mean 98.53 %, cost 72; val crops 100.00 %, crops shift
 *                                 mean 98.69 %, crops cost 46 (test, report only: 99.39 %, as the app cuts
 *                                 it 99.39 %);
 *   scratch runs from the shipped head (unseeded dropout, three runs): val 99.51 / 99.67 / 99.67 %, shift
 *                                 mean 98.74 / 98.57 / 98.65 %, cost 59 / 69 / 61; val crops 99.84 / 99.84 /
 *                                 99.67 %, crops shift mean 98.45 / 98.57 / 98.53 %, crops cost 52 / 49 / 50.
 * Better on every shift in every run, plain val one or two pictures worse: by val alone it would ship. But on
 * the door photos (npm run eval:e2e, the acceptance set, so this veto is a choice made on it) it is no better
 * in any of the three runs measured, 54 / 55 / 54 of 59 right (shipped 55), and lower in mAP in all three,
 * 86.5 / 85.5 / 85.8 % (88.5); its errors are surer (7-photo, the dim bearded man, P(without_mask) 0.002
 * against 0.072: the live screen, not run with it, would likely count him masked instead of uncertain). The
 * synthetic shifts reward what the real door pictures do not; until there are door-camera training pictures,
 * the frozen backbone stays.
 * Tried and not shipped, `--augmentation door-occluders` (scratch worktree, not committed): the door recipe plus,
 * on 35 % of the pictures of both classes, a non-mask object painted below the mouth before the geometry and
 * photometry (a dark phone held at the chin, a dark collar band, a skin-toned hand), to unteach "dark lower
 * face = mask" (8-photo: a phone held under a bare chin). Against the door recipe retrained on the same app
 * crops with the same seed (42 / 1): original val 99.67 / 99.51 % (99.84 / 99.67), shift mean 98.12 / 98.29 %
 * (98.12 / 98.29), cost 90 / 78 (92 / 82); val crops 99.51 / 99.67 % (99.84 / 99.67), crops shift mean 98.41 /
 * 98.25 % (98.37 / 98.21), crops cost 51 / 57 (54 / 60). Shifts flat within seed noise, plain val worse (the
 * extra errors masked faces read unmasked), so not shipped. Door photos after that choice (report only): 56 /
 * 57 of 60 (door recipe same seed 54), mAP 92.5 / 91.7 %; it raised P(without_mask) on every hard lower face,
 * masked ones too (36-photo, masked, 0.08 → 0.38, a new false alarm; 8-photo 0.016 → 0.221, still missed).
 * Tried and not shipped, `--balance-style` (commit f9563cc: style-balance.ts, then removed): the train split's classes
 * differ in more than the mask (longest side, 10th percentile, 91 px masked against 137 unmasked; mean grey 79
 * against 95), so every training row was weighted to give both classes the same mix of size and brightness
 * (pooled share of its 3 × 4 cell over its share within its class, clamped to 0.25–4). Shipped recipe with the
 * app crops, retrained the same day with and without it (seeds 42 / 1): original val 99.84 / 99.67 % either way;
 * shift mean 98.16 / 98.21 % (without 98.12 / 98.29), cost 85 / 88 (92 / 82); val crops 99.84 / 99.67 % either
 * way, crops shift mean 98.21 / 98.16 % (98.37 / 98.21), crops cost 54 / 59 (54 / 60). Flat within seed noise on
 * every measure, so not shipped. Door photos after that choice (report only, seed 42): 55 of 60 against 54 for
 * the same-day retrain without it (the shipped model: 56); 7- and 8-photo still read masked (P(without_mask)
 * 0.124 / 0.026), and two masked faces were now read unmasked (36-, 44-photo): the confound the weights remove
 * is not what misleads it on those faces.
 * Tried on the shipped model, not shipped: averaging P(without_mask) over the crop and its mirror image (test-time
 * flip; scratch, the inference worker given a mirror flag), at the app's threshold 0.25, against the crop alone:
 *   original val 99.35 % (99.84), shift mean 98.45 % (98.33), cost 66 (81); val crops 99.67 % (99.84), crops
 *   shift mean 98.16 % (98.12), crops cost 51 (60). The mirror alone scores about the same as the average.
 * Cheaper on the shifts, worse on plain val in both, for twice the classifier's time per face (the classifier
 * is already 86 % of a frame's time), so not shipped. The door crops (report only, the app's boxes cut in Node)
 * give 4 errors of 60 averaged against 5 alone, within the noise of one face; the confident errors stay
 * confident (8-photo 0.020 → 0.012, 7-photo 0.017 → 0.067) and 3-photo, the dim bearded man read right, falls
 * from 0.47 to 0.27 (mirror 0.07), one step from a miss.
 * Tried beside the shipped model, not shipped (scratch, 2026-12-03): a second opinion from colour, "is the lower
 * face this person's skin?". Six numbers from the app's crop (face box at 1/6–5/6 of it): the chroma distance
 * between the forehead (rows 24–38 %) and the mouth and chin (rows 62–80 %), their luma ratio, the share of
 * mouth-and-chin pixels within 0.025 of the forehead's chroma, their saturation difference and each patch's
 * contrast; a logistic regression on them over the train split's app crops and their four shifts (alone: val
 * crops 84.3 %, dim 88.9 %; chroma distance alone AUC 0.87), added to the shipped model's logit with weight a
 * chosen on val crops and their shifts at the threshold 0.25: a = 0 / 0.5 / 1 gives val crops 100.00 / 99.84 /
 * 99.84 %, crops cost 55 / 48 / 45, almost all of it fewer false alarms on low-res (19 → 13); the missed
 * unmasked faces on the shifts stay 7 / 7 / 6. The door photos (report only) lose one face at every a > 0:
 * 55 of 60 (a masked face, 44-photo, read unmasked), 7- and 8-photo still read masked (0.07 → 0.13 / 0.23,
 * 0.01 → 0.05 / 0.23): both move towards unmasked but stay under 0.25, and the masked face moves past it first.
 * Tried head-only, not shipped (scratch copy of this script, 2026-12-03): the features L2-normalized before the
 * head (scaled to the train set's mean norm), so that a dim face's weaker activations read like a bright one's
 * and the head sees only which patterns are there. Shipped recipe, app crops, seed 42, against the same run
 * without it (val 99.84 %, shift mean 98.12 %, cost 92; val crops 99.84 %, crops shift mean 98.37 %, crops cost
 * 54): each of the 7 rows apart, val 99.67 %, shift mean 98.33 %, cost 85, val crops 99.84 %, crops shift mean
 * 98.33 %, crops cost 57; all 2,240 at once, val 99.67 %, shift mean 98.29 %, cost 82, val crops 99.67 %, crops
 * shift mean 98.12 %, crops cost 56. Flat within seed noise. Door crops (report only, the app's boxes cut in
 * Node): 53 and 54 of 60 against 54; 7- and 8-photo read masked in all three (P(without_mask) 0.03–0.11).
 * `--augmentation door-accessories` (accessories.ts; tried in ded7740, removed in 7135aa1, shipped since 2026-12-03, see
 * the end of this entry). Found
 * by occluding parts of the door crops: on 7-photo a grey patch over the earphone and its cable took
 * P(without_mask) from 0.02 to 0.99. Then, on val as the app cuts it (289 unmasked, 324 masked), things painted
 * at the ears (now scripts/ear-accessories-check.ts): black over-ear headphones turn 42 of the 289 unmasked
 * faces "masked" at 0.25 (66 for the same-day retrain of the shipped recipe, 58 for seed 1), black cables on
 * both sides 19, white ones 6, a white line in the top corner (a control) none; on the masked faces they change
 * nothing. A mask's ear loops are the only
 * lines at the ears the training pictures show. The recipe: the door recipe plus headphones (cups and band)
 * or earphone cables, mostly black, some white or coloured, painted before the other transforms on 35 % of the
 * copies of both classes. Seeds 42 / 1 / 2 against the same recipe without it (42 / 1 retrained the same day,
 * 2 from the header above): painted headphones now turn 5 / 4 / 3 unmasked faces masked (66 / 58), cables
 * 0 / 3 / 0 (19 / 10), and seed 1 reads 4 of the 324 masked faces with headphones unmasked (none without it);
 * original val 99.51 / 99.35 / 99.51 % (99.84 / 99.67 / 99.51), shift mean 98.04 / 98.04 / 98.16 % (98.12 /
 * 98.29 / 98.16), cost 92 / 88 / 81 (92 / 82 / 87); val crops 99.84 / 99.67 / 99.84 % (99.84 / 99.67 / 99.67),
 * crops shift mean 98.25 / 98.49 / 98.49 % (98.37 / 98.21 / 98.37), crops cost 55 / 51 / 51 (54 / 60 / 54).
 * Plain val one or two pictures worse in two seeds, the shifts flat: stop 39 did not ship it for that; the
 * headphones measure is painted by the same kind of brush it learned from, so it cannot carry the choice alone. After
 * that choice (report only): door crops in Node 55 / 54 of 60 (shipped 55); npm run eval:e2e with seed 42,
 * 57 of 60 (shipped 56; 58-photo now right, 7- and 8-photo still masked at 0.15 and 0.05), mAP 91.7 % (90.5);
 * but the live fake camera counted 3-photo, the dim man in headphones, masked (0 of 6 boxes right), where the
 * shipped model leaves him uncertain: tally 7 / 4 / 1 against 6 / 4 / 2 and the annotated 6 / 6 / 0.
 * Shipped on 2026-12-03 (seed 42) after all, by the rule the app-crops model was chosen by: val as the app cuts
 * it and its shifts first, the original val and shifts as a guard. On the app's crops it is as good or better
 * in every seed (val crops equal, equal, one picture better; crops cost 55 / 51 / 51 against 54 / 60 / 54); the
 * guard costs two pictures of 613 in two seeds and no shift cost on average (87 against 87); and it removes a
 * failure a door sees daily (headphones: 5 / 4 / 3 unmasked faces read masked against 66 / 58). The retrain
 * reproduced seed 42's figures to the digit. Test (report only): 99.64 % (before 99.27 %), as the app cuts it
 * 99.39 % (99.39 %). Door photos and live camera after the choice, as above: 57 of 60 (56), live tally 7 / 4 / 1
 * (6 / 4 / 2): the dim man in headphones (3-photo) is now counted masked where he was uncertain.
 * Tried and not shipped, `--augmentation door-robust` (commit fbb1a63: a random window in reframe.ts, then
 * removed): door-accessories plus, on 35 % of the copies of both classes, a window of 0.65–0.9 of the side
 * placed anywhere, so that a cut forehead stops meaning "mask" (the 50 nearest training pictures to 7- and
 * 8-photo in the head's hidden layer are all masked, most with the forehead cut). Seed 42: original val
 * 99.51 %, shift mean 97.72 %, cost 100 (door-accessories 99.51 %, 98.04 %, 92); val crops 99.84 %, crops shift
 * mean 98.08 %, crops cost 59 (99.84 %, 98.25 %, 55): worse on the shifts. The framing probe
 * (`ear-accessories-check.ts --probes framing`, fixed windows) shows the cue is weak to begin with: a window of
 * 0.8 / 0.7 of the side with the forehead cut turns 3 / 4 of the 289 unmasked val faces masked with the shipped
 * model, 3 / 3 with door-robust. Not run on the door photos.
 */
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES, WITHOUT_MASK_THRESHOLD, decideMaskClass } from '../src/shared/mask-classifier-spec.ts';
import {
  classificationReport,
  formatReport,
  type ClassificationReport,
} from '../src/shared/classification-metrics.ts';
import { AUGMENTATIONS, augmentationSeed, type AugmentationName } from './classifier/augment.ts';
import { DOMAIN_SHIFT_NAMES } from './classifier/domain-shifts.ts';
import { backboneFeatures, type FeatureSet, type SetFeatures } from './classifier/feature-cache.ts';
import {
  LAST_BLOCK_LAYERS,
  LastBlockClassifier,
  type FineTuneConfig,
  type FineTuneEpoch,
  type MapRows,
} from './classifier/fine-tune.ts';
import { predictHead, trainHead, type HeadConfig } from './classifier/head.ts';
import { runInference } from './classifier/inference-pool.ts';
import { DatasetError, pictures, readMaskDataset, type MaskPicture } from './classifier/mask-dataset.ts';
import {
  assembleClassifier,
  featureBackbone,
  storagePolicy,
  type FeatureLayout,
} from './classifier/mask-classifier-model.ts';
import { modelSizeBytes, saveLayersModel, type WeightStorage } from './classifier/model-files.ts';
import { writeModelCard } from './classifier/model-card.ts';
import { formatDuration } from './classifier/progress.ts';
import { renderTrainingCurves } from './classifier/training-curves.ts';
import { useWasmBackend } from './classifier/tf-wasm.ts';

const ROOT = resolve(import.meta.dirname, '..');
/**
 * Augmented copies of the train split; epochs cycle through them. Each copy costs one backbone pass
 * over 2,651 pictures (~1.5–4 min on the 2 shared cores), so this bounds a retrain from scratch.
 */
const DEFAULT_COPIES = 4;
const USAGE = `usage: npm run train -- --data DIR [--out DIR] [--epochs 12] [--batch-size 32] [--optimizer sgd|adam]
  [--lr 0.001] [--momentum 0.85] [--hidden 128] [--dropout 0.5] [--label-smoothing 0] [--schedule constant|cosine] [--copies N]
  [--augmentation paper|door|door-accessories] [--features paper|rows] [--app-crops DIR] [--fine-tune EPOCHS] [--fine-tune-lr 0.001] [--seed 42] [--workers N] [--head-dtype float16|uint8|float32] [--backbone FILE] [--no-cache] [--no-test]`;

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'public/models/mask-classifier') },
    backbone: {
      type: 'string',
      default: resolve(ROOT, '../shared/models/mobilenet_v2_1.0_224_quant.tflite'),
    },
    epochs: { type: 'string', default: '12' },
    'batch-size': { type: 'string', default: '32' },
    optimizer: { type: 'string', default: 'sgd' },
    lr: { type: 'string', default: '0.001' },
    momentum: { type: 'string', default: '0.85' },
    hidden: { type: 'string', default: '128' },
    dropout: { type: 'string', default: '0.5' },
    'label-smoothing': { type: 'string', default: '0' },
    schedule: { type: 'string', default: 'constant' },
    copies: { type: 'string' },
    augmentation: { type: 'string', default: 'paper' },
    features: { type: 'string', default: 'paper' },
    seed: { type: 'string', default: '42' },
    workers: { type: 'string', default: String(availableParallelism()) },
    'head-dtype': { type: 'string', default: 'float16' },
    'no-cache': { type: 'boolean', default: false },
    // For trying settings: skip the test split entirely (no model card), so exploring never sees it.
    'no-test': { type: 'boolean', default: false },
    'app-crops': { type: 'string' },
    'fine-tune': { type: 'string', default: '0' },
    'fine-tune-lr': { type: 'string', default: '0.001' },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`train: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function numberArg(name: keyof typeof args): number {
  const value = Number(args[name]);
  if (!Number.isFinite(value)) fail(`--${name} must be a number, got ${String(args[name])}`);
  return value;
}

if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (args.data === undefined) fail('--data is required');
if (args.optimizer !== 'sgd' && args.optimizer !== 'adam') fail('--optimizer must be sgd or adam');
if (args.schedule !== 'constant' && args.schedule !== 'cosine') fail('--schedule must be constant or cosine');
if (!(args.augmentation in AUGMENTATIONS))
  fail(`--augmentation must be one of ${Object.keys(AUGMENTATIONS).join(', ')}`);
const augmentationName = args.augmentation as AugmentationName;
if (args.features !== 'paper' && args.features !== 'rows') fail('--features must be paper or rows');
const layout: FeatureLayout = args.features;
const headDtype = args['head-dtype'] as WeightStorage;
if (!['float16', 'uint8', 'float32'].includes(headDtype))
  fail('--head-dtype must be float16, uint8 or float32');

const config: HeadConfig = {
  hiddenUnits: numberArg('hidden'),
  dropout: numberArg('dropout'),
  optimizer: args.optimizer,
  learningRate: numberArg('lr'),
  momentum: numberArg('momentum'),
  batchSize: numberArg('batch-size'),
  epochs: numberArg('epochs'),
  labelSmoothing: numberArg('label-smoothing'),
  schedule: args.schedule,
  seed: numberArg('seed'),
};
const copies = args.copies === undefined ? DEFAULT_COPIES : numberArg('copies');
/** `--fine-tune N`: N epochs of block 16 and the head together after the head (fine-tune.ts); 0: frozen. */
const fineTuneConfig: FineTuneConfig = {
  epochs: numberArg('fine-tune'),
  learningRate: numberArg('fine-tune-lr'),
  momentum: config.momentum,
  batchSize: config.batchSize,
  dropout: config.dropout,
  seed: config.seed,
};
if (!Number.isInteger(fineTuneConfig.epochs) || fineTuneConfig.epochs < 0)
  fail('--fine-tune must be a whole number of epochs (0: no fine-tuning)');
if (fineTuneConfig.epochs > 0 && layout !== 'rows') fail('--fine-tune needs --features rows');
if (fineTuneConfig.epochs > 0 && (config.optimizer !== 'sgd' || config.labelSmoothing !== 0))
  fail(
    '--fine-tune trains with SGD and no label smoothing; leave out --optimizer adam and --label-smoothing',
  );
const workers = numberArg('workers');
const started = performance.now();

let dataset: MaskPicture[];
try {
  dataset = readMaskDataset(args.data);
} catch (error) {
  if (error instanceof DatasetError) fail(error.message);
  throw error;
}
const train = pictures(dataset, 'train');
const val = pictures(dataset, 'val');
const test = pictures(dataset, 'test');
/**
 * `--app-crops DIR`: the same pictures cut the way the app cuts faces (npm run app-crops), trained on beside
 * the originals, each augmented copy holding both, so the head learns the crops it is given in use (the
 * detector's box plus margin) without losing the tight crops; val and its shifts are measured on both.
 */
let crops: { train: MaskPicture[]; val: MaskPicture[]; test: MaskPicture[] } | undefined;
if (args['app-crops'] !== undefined) {
  let cropped: MaskPicture[];
  try {
    cropped = readMaskDataset(args['app-crops']);
    sameRows(dataset, cropped);
  } catch (error) {
    if (error instanceof DatasetError) fail(error.message);
    throw error;
  }
  crops = {
    train: pictures(cropped, 'train'),
    val: pictures(cropped, 'val'),
    test: pictures(cropped, 'test'),
  };
}

/** The app-crops data set must list the same pictures, in the same order, label, split and group. */
function sameRows(original: MaskPicture[], cropped: MaskPicture[]): void {
  const stem = (p: string) => p.replace(/\.[^./]+$/, '');
  const length = Math.max(original.length, cropped.length);
  for (let i = 0; i < length; i++) {
    const o = original[i];
    const c = cropped[i];
    if (
      o === undefined ||
      c === undefined ||
      stem(c.relativePath) !== stem(o.relativePath) ||
      c.label !== o.label ||
      c.split !== o.split ||
      c.group !== o.group
    )
      throw new DatasetError(
        `--app-crops must list the same pictures as --data, in order (first difference: split.csv line ${i + 2})`,
      );
  }
}

// Never a clean training copy: like the paper's on-the-fly generator, every epoch sees augmented pictures.
const trainSets = (split: MaskPicture[], prefix: string): FeatureSet[] =>
  Array.from({ length: copies }, (_, k) => ({
    name: `${prefix}train-aug${k}`,
    items: split.map((p) => ({
      path: p.path,
      seed: augmentationSeed(p.relativePath, k),
      ...(augmentationName === 'paper' ? {} : { augmentation: augmentationName }),
    })),
  }));
const valSets = (split: MaskPicture[], prefix: string): FeatureSet[] => [
  { name: `${prefix}val`, items: split.map((p) => ({ path: p.path, seed: null })) },
  // Fixed door-camera shifts of val (domain-shifts.ts): a robustness check that never looks at door photos.
  ...DOMAIN_SHIFT_NAMES.map((shift) => ({
    name: `${prefix}val-${shift}`,
    items: split.map((p) => ({ path: p.path, seed: null, shift })),
  })),
];
const sets: FeatureSet[] = [
  ...trainSets(train, ''),
  ...valSets(val, ''),
  ...(crops === undefined ? [] : [...trainSets(crops.train, 'crops-'), ...valSets(crops.val, 'crops-')]),
];
const computed = await backboneFeatures(args.backbone, sets, {
  workers,
  label: 'backbone features',
  useCache: !args['no-cache'],
  layout,
});
const featureSets = new Map(sets.map((set, i) => [set.name, computed[i]]));
const featuresOf = (name: string): SetFeatures => featureSets.get(name)!;
const valSet = featuresOf('val');
const featureSize = valSet.featureSize;

/** Rows of a set without the pictures that failed to decode, and their labels. */
function usable(set: SetFeatures, split: MaskPicture[]): { features: Float32Array; labels: number[] } {
  const keep = split.map((_, i) => i).filter((i) => !set.failed.has(i));
  const features = new Float32Array(keep.length * featureSize);
  keep.forEach((row, i) =>
    features.set(set.features.subarray(row * featureSize, (row + 1) * featureSize), i * featureSize),
  );
  return { features, labels: keep.map((i) => split[i].label) };
}

/** Two sets' rows one after the other. */
function joined(
  a: { features: Float32Array; labels: number[] },
  b: { features: Float32Array; labels: number[] },
) {
  const features = new Float32Array(a.features.length + b.features.length);
  features.set(a.features);
  features.set(b.features, a.features.length);
  return { features, labels: [...a.labels, ...b.labels] };
}

// A picture that fails to decode fails in every copy, so the kept rows line up across copies.
const trainCopies = Array.from({ length: copies }, (_, k) => {
  const originals = usable(featuresOf(`train-aug${k}`), train);
  return crops === undefined
    ? originals
    : joined(originals, usable(featuresOf(`crops-train-aug${k}`), crops.train));
});
/** An evaluation set's usable rows, with its name (the key of its probabilities below). */
const named = (name: string, split: MaskPicture[]) => ({ name, ...usable(featuresOf(name), split) });
const valData = named('val', val);
const shiftedVal = DOMAIN_SHIFT_NAMES.map((shift) => ({ shift, ...named(`val-${shift}`, val) }));
const cropsVal =
  crops === undefined
    ? undefined
    : {
        val: named('crops-val', crops.val),
        shifted: DOMAIN_SHIFT_NAMES.map((shift) => ({ shift, ...named(`crops-val-${shift}`, crops!.val) })),
      };
const skipped = [
  ...featuresOf('train-aug0').failed.keys(),
  ...valSet.failed.keys(),
  ...(crops === undefined
    ? []
    : [...featuresOf('crops-train-aug0').failed.keys(), ...featuresOf('crops-val').failed.keys()]),
].length;
if (skipped > 0) process.stderr.write(`train: ${skipped} unreadable pictures skipped\n`);

await useWasmBackend();
const trainingStarted = performance.now();
const { head, history } = await trainHead(
  trainCopies.map((c) => c.features),
  trainCopies[0].labels,
  valData.features,
  valData.labels,
  featureSize,
  config,
  (r) =>
    process.stderr.write(
      `epoch ${String(r.epoch).padStart(2)}/${config.epochs}  train loss ${r.trainLoss.toFixed(4)} ` +
        `acc ${(100 * r.trainAccuracy).toFixed(2)}%  val loss ${r.valLoss.toFixed(4)} acc ${(100 * r.valAccuracy).toFixed(2)}%\n`,
    ),
);
const headSeconds = (performance.now() - trainingStarted) / 1000;

/**
 * `--fine-tune N`: block 16 and the head trained together on block 15's cached maps of the same sets,
 * from the ImageNet block and the head just trained. Every figure below is then the fine-tuned model's.
 */
let fineTuned:
  { model: LastBlockClassifier; maps: Map<string, SetFeatures>; history: FineTuneEpoch[] } | undefined;
if (fineTuneConfig.epochs > 0) {
  const computedMaps = await backboneFeatures(args.backbone, sets, {
    workers,
    label: 'block-15 maps',
    useCache: !args['no-cache'],
    layout: 'block15',
  });
  await useWasmBackend();
  const maps = new Map(sets.map((set, i) => [set.name, computedMaps[i]]));
  // The maps' and the features' rows must be the same pictures: both passes skip the unreadable ones.
  for (const set of sets) {
    const a = [...maps.get(set.name)!.failed.keys()].sort((x, y) => x - y).join();
    const b = [...featuresOf(set.name).failed.keys()].sort((x, y) => x - y).join();
    if (a !== b) fail(`${set.name}: the block-15 maps and the features failed on different pictures`);
  }
  const mapRows = (name: string, split: MaskPicture[]): MapRows => {
    const set = maps.get(name)!;
    const rows = split.map((_, i) => i).filter((i) => !set.failed.has(i));
    return { maps: set.features, rows, labels: rows.map((i) => split[i].label) };
  };
  const backbone = featureBackbone(args.backbone, layout).model;
  const model = LastBlockClassifier.from(backbone, head);
  backbone.dispose();
  const history = await model.train(
    Array.from({ length: copies }, (_, k) => [
      mapRows(`train-aug${k}`, train),
      ...(crops === undefined ? [] : [mapRows(`crops-train-aug${k}`, crops.train)]),
    ]),
    fineTuneConfig,
    (r) =>
      process.stderr.write(
        `fine-tune epoch ${String(r.epoch).padStart(2)}/${fineTuneConfig.epochs}  train loss ${r.trainLoss.toFixed(4)}\n`,
      ),
  );
  fineTuned = { model, maps, history };
}

/** The app's decision (spec module threshold) for row i of a [n, 2] probability array. */
const decision = (probabilities: Float32Array, i: number): number =>
  CLASS_NAMES.indexOf(decideMaskClass(probabilities.subarray(i * 2, i * 2 + 2)));
/** P(class) rows of every evaluation set: the head's, or with `--fine-tune` the fine-tuned model's. */
const probabilities = new Map<string, Float32Array>();
for (const rows of [
  valData,
  ...shiftedVal,
  ...(cropsVal === undefined ? [] : [cropsVal.val, ...cropsVal.shifted]),
]) {
  if (fineTuned === undefined) {
    probabilities.set(rows.name, predictHead(head, rows.features, featureSize));
  } else {
    const set = fineTuned.maps.get(rows.name)!;
    const kept = Array.from({ length: set.features.length / set.featureSize }, (_, i) => i).filter(
      (i) => !set.failed.has(i),
    );
    probabilities.set(rows.name, await fineTuned.model.predict(set.features, kept));
  }
}
/** The report at the app's threshold on an evaluation set. */
function headReport({ name, labels }: { name: string; labels: number[] }): ClassificationReport {
  const p = probabilities.get(name)!;
  return classificationReport(
    labels,
    labels.map((_, i) => decision(p, i)),
    CLASS_NAMES,
  );
}
const valProbabilities = probabilities.get('val')!;
const valReport = headReport(valData);
// The plain arg-max on val as well, to show what the spec module's threshold changes.
const valReportAtHalf = classificationReport(
  valData.labels,
  valData.labels.map((_, i) => (valProbabilities[i * 2 + 1] >= 0.5 ? 1 : 0)),
  CLASS_NAMES,
);
process.stdout.write(`\nvalidation (float weights, threshold 0.5)\n${formatReport(valReportAtHalf)}\n`);
process.stdout.write(
  `\nvalidation (float weights, threshold ${WITHOUT_MASK_THRESHOLD})\n${formatReport(valReport)}\n`,
);
// Robustness: the same model on the fixed door-camera shifts of val, at the app's threshold.
const shiftReportsOf = (shifted: typeof shiftedVal) =>
  shifted.map(({ shift, ...rows }) => {
    const report = headReport(rows);
    return {
      shift,
      accuracy: report.accuracy,
      withoutMaskRecall: report.classes[1].recall,
      confusion: report.confusion,
    };
  });
/**
 * One line for a set of shift reports: each shift, their mean accuracy, and the cost the recipes above were
 * compared by (3 × unmasked faces missed + false alarms, summed over the shifts).
 */
function shiftLine(title: string, reports: ReturnType<typeof shiftReportsOf>): string {
  const mean = reports.reduce((sum, r) => sum + r.accuracy, 0) / reports.length;
  const cost = reports.reduce((sum, r) => sum + 3 * r.confusion[1]![0]! + r.confusion[0]![1]!, 0);
  return (
    `\n${title} (threshold ${WITHOUT_MASK_THRESHOLD}): ` +
    reports
      .map(
        (r) =>
          `${r.shift} ${(100 * r.accuracy).toFixed(2)}% (unmasked recall ${(100 * r.withoutMaskRecall).toFixed(2)}%)`,
      )
      .join(', ') +
    `; mean ${(100 * mean).toFixed(2)}%, cost ${cost}\n`
  );
}
const shiftReports = shiftReportsOf(shiftedVal);
process.stdout.write(shiftLine('validation shifts', shiftReports));
let cropsReports:
  { validation: ClassificationReport; validationShifts: ReturnType<typeof shiftReportsOf> } | undefined;
if (cropsVal !== undefined) {
  cropsReports = {
    validation: headReport(cropsVal.val),
    validationShifts: shiftReportsOf(cropsVal.shifted),
  };
  process.stdout.write(
    `\nvalidation, app crops (threshold ${WITHOUT_MASK_THRESHOLD})\n${formatReport(cropsReports.validation)}\n`,
  );
  process.stdout.write(shiftLine('validation shifts, app crops', cropsReports.validationShifts));
}

const { model, grids } = assembleClassifier(args.backbone, head, config, layout);
if (fineTuned !== undefined) {
  // Block 16 now holds trained weights, not the TFLite bytes: stored like the head's kernels.
  fineTuned.model.copyInto(model);
  for (const name of [...grids.keys()]) {
    if (Object.values(LAST_BLOCK_LAYERS).some((layer) => name.startsWith(`${layer}/`))) grids.delete(name);
  }
}
const trainedLayers = fineTuned === undefined ? [] : Object.values(LAST_BLOCK_LAYERS);
await saveLayersModel(model, args.out, { storageOf: storagePolicy(headDtype, trainedLayers), grids });
const sizeBytes = modelSizeBytes(args.out);
process.stdout.write(`\nsaved ${relative(ROOT, args.out)} (${(sizeBytes / 1e6).toFixed(2)} MB)\n`);

/** The shipped model's report on one split, run through the same pool the evaluation CLI uses. */
async function shippedReport(split: MaskPicture[], label: string): Promise<ClassificationReport> {
  const result = await runInference(
    { kind: 'classifier', modelDir: args.out },
    split.map((p) => ({ path: p.path, seed: null })),
    { workers, label },
  );
  const kept = split.map((_, i) => i).filter((i) => !result.failed.has(i));
  return classificationReport(
    kept.map((i) => split[i].label),
    kept.map((i) => decision(result.outputs, i)),
    CLASS_NAMES,
  );
}
if (args['no-test']) {
  process.stdout.write(
    `--no-test: stopping before the test split (${formatDuration((performance.now() - started) / 1000)})\n`,
  );
  process.exit(0);
}
// Reported only: the test split is measured after every choice above is fixed.
const testReport = await shippedReport(test, 'test (shipped model)');
process.stdout.write(`\ntest (shipped model)\n${formatReport(testReport)}\n`);
const cropsTestReport = crops === undefined ? undefined : await shippedReport(crops.test, 'test, app crops');
if (cropsTestReport !== undefined)
  process.stdout.write(`\ntest, app crops (shipped model)\n${formatReport(cropsTestReport)}\n`);
const totalSeconds = (performance.now() - started) / 1000;
process.stdout.write(
  `\ntraining time ${formatDuration(totalSeconds)} (head ${formatDuration(headSeconds)})\n`,
);

const curvesFile = join(args.out, 'training-curves.png');
await renderTrainingCurves(history, curvesFile);
writeModelCard(args.out, {
  data: relative(ROOT, resolve(args.data)),
  splitCounts: Object.fromEntries(
    ['train', 'val', 'test'].map((s) => [
      s,
      Object.fromEntries(
        CLASS_NAMES.map((c, k) => [c, dataset.filter((p) => p.split === s && p.label === k).length]),
      ),
    ]),
  ),
  config,
  augmentation: { copies, recipe: augmentationName, ...AUGMENTATIONS[augmentationName] },
  validationShifts: shiftReports,
  headStorage: headDtype,
  features: layout,
  ...(fineTuned === undefined ? {} : { fineTune: { ...fineTuneConfig, history: fineTuned.history } }),
  history,
  validation: valReport,
  validationAtHalf: valReportAtHalf,
  test: testReport,
  ...(crops === undefined || cropsReports === undefined || cropsTestReport === undefined
    ? {}
    : {
        appCrops: {
          data: relative(ROOT, resolve(args['app-crops']!)),
          ...cropsReports,
          test: cropsTestReport,
        },
      }),
  sizeBytes,
  trainingSeconds: totalSeconds,
  usedCache: !args['no-cache'],
  workers,
  tfjsVersion: tf.version.tfjs,
  command: `npm run train -- ${process.argv.slice(2).join(' ')}`,
});
process.stdout.write(`wrote model card and ${relative(ROOT, curvesFile)}\n`);
